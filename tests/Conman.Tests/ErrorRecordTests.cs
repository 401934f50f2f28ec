using System.Management.Automation;
using Conman.Cmdlets;
using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Errors;

namespace Conman.Tests;

/// <summary>How a ConmanException becomes the ErrorRecord a PowerShell user sees (ContainerCmdlet.ToErrorRecord).</summary>
[Trait("Category", "Unit")]
public class ErrorRecordTests
{
    [Theory]
    [InlineData(ConmanErrorKind.NotFound, ErrorCategory.ObjectNotFound)]
    [InlineData(ConmanErrorKind.InvalidArgument, ErrorCategory.InvalidArgument)]
    [InlineData(ConmanErrorKind.AlreadyExists, ErrorCategory.ResourceExists)]
    [InlineData(ConmanErrorKind.InvalidState, ErrorCategory.InvalidOperation)]
    [InlineData(ConmanErrorKind.RuntimeFailed, ErrorCategory.InvalidResult)]
    [InlineData(ConmanErrorKind.PermissionDenied, ErrorCategory.PermissionDenied)]
    [InlineData(ConmanErrorKind.ResourceUnavailable, ErrorCategory.ResourceUnavailable)]
    [InlineData(ConmanErrorKind.Timeout, ErrorCategory.OperationTimeout)]
    public void Each_kind_has_its_category(ConmanErrorKind kind, ErrorCategory category)
    {
        Assert.Equal(category, ContainerCmdlet.ToErrorRecord(new ConmanException(kind, "SomeError", "Something is wrong.")).CategoryInfo.Category);
    }

    [Fact]
    public void The_id_becomes_the_FullyQualifiedErrorId_and_the_target_the_TargetObject()
    {
        var error = ConmanErrors.ContainerNameInUse("web");
        var record = ContainerCmdlet.ToErrorRecord(error);
        Assert.Equal(ErrorIds.ContainerNameInUse, record.FullyQualifiedErrorId);
        Assert.Equal("web", record.TargetObject);
        Assert.Same(error, record.Exception);
    }

    [Fact]
    public void What_to_do_next_is_the_RecommendedAction_shown_under_the_message()
    {
        var record = ContainerCmdlet.ToErrorRecord(ConmanErrors.ImageNotFound("busybox:1"));
        Assert.Equal("Import it with Import-ContainerImage or pull it with Request-ContainerImage.", record.ErrorDetails.RecommendedAction);
        Assert.Equal("No image 'busybox:1' is in the store.", record.ErrorDetails.Message);
        Assert.Equal("No image 'busybox:1' is in the store.", record.Exception.Message);

        var entering = ContainerCmdlet.ToErrorRecord(CmdletErrors.CannotEnter("done", ContainerState.Exited));
        Assert.Equal(("The container 'done' is Exited.", "Start it with Start-Container first."),
            (entering.ErrorDetails.Message, entering.ErrorDetails.RecommendedAction));
    }

    [Fact]
    public void An_error_with_nothing_to_do_next_shows_its_message_alone()
    {
        var record = ContainerCmdlet.ToErrorRecord(ConmanErrors.InvalidContainerName("bad name!"));
        Assert.Null(record.ErrorDetails);
        Assert.StartsWith("'bad name!' is not a valid container name", record.ToString());
    }
}
