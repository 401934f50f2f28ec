using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Conman.Engine.Images;

/// <summary>
/// A docker-credential-&lt;name&gt; program (docker's credential helper protocol, which podman and
/// skopeo speak too): "get", "store" and "erase", the request on stdin, the answer on stdout.
/// Started by name from PATH with an argument list, never through a shell.
/// </summary>
internal sealed partial class CredentialHelper
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private CredentialHelper(string name) => Name = name;

    public string Name { get; }

    /// <exception cref="ConmanException">The name is not one a helper program can have.</exception>
    public static CredentialHelper Named(string name, string authFile) =>
        HelperName().IsMatch(name) ? new CredentialHelper(name) : throw ConmanErrors.InvalidAuthFile(authFile, $"'{name}' is not a credential helper name");

    /// <summary>The helper's credential for the registry; null when it has none.</summary>
    public NetworkCredential? Get(string registry)
    {
        var (exit, output, error) = Run("get", registry + "\n");
        // The protocol's "not found" is a failure whose message says so: that is "no credential", not an error.
        if (exit != 0)
        {
            if ((output + error).Contains("credentials not found", StringComparison.OrdinalIgnoreCase)) return null;
            throw ConmanErrors.CredentialHelperFailed(Name, "get", registry, (error.Length > 0 ? error : output).Trim());
        }
        try
        {
            using var document = JsonDocument.Parse(output);
            string? user = OciDocuments.OptionalString(document.RootElement, "Username");
            string? secret = OciDocuments.OptionalString(document.RootElement, "Secret");
            return string.IsNullOrEmpty(secret) ? null : new NetworkCredential(user ?? "", secret);
        }
        catch (JsonException e)
        {
            throw ConmanErrors.CredentialHelperFailed(Name, "get", registry, $"its answer is not JSON ({e.Message})");
        }
    }

    public void Store(string registry, NetworkCredential credential)
    {
        string request = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["ServerURL"] = registry,
            ["Username"] = credential.UserName,
            ["Secret"] = credential.Password,
        });
        var (exit, output, error) = Run("store", request);
        if (exit != 0) throw ConmanErrors.CredentialHelperFailed(Name, "store", registry, (error.Length > 0 ? error : output).Trim());
    }

    /// <returns>Whether the helper had a credential to erase.</returns>
    public bool Erase(string registry)
    {
        var (exit, output, error) = Run("erase", registry + "\n");
        if (exit == 0) return true;
        if ((output + error).Contains("credentials not found", StringComparison.OrdinalIgnoreCase)) return false;
        throw ConmanErrors.CredentialHelperFailed(Name, "erase", registry, (error.Length > 0 ? error : output).Trim());
    }

    private (int Exit, string Output, string Error) Run(string verb, string input)
    {
        var start = new ProcessStartInfo("docker-credential-" + Name)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add(verb);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw ConmanErrors.CredentialHelperFailed(Name, verb, "", $"docker-credential-{Name} cannot be started ({e.Message})");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(input);
            process.StandardInput.Close();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw ConmanErrors.CredentialHelperFailed(Name, verb, "", $"it did not answer within {Timeout.TotalSeconds} s");
            }
            return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex HelperName();
}
