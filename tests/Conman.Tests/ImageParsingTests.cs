using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Images;
using Conman.Protocol;

namespace Conman.Tests;

[Trait("Category", "Unit")]
public class ImageParsingTests
{
    private static readonly string DigestA = "sha256:" + new string('a', 64);
    private static readonly string DigestB = "sha256:" + new string('b', 64);

    [Theory]
    [InlineData("alpine", "docker.io", "library/alpine", "latest")]
    [InlineData("alpine:3.19", "docker.io", "library/alpine", "3.19")]
    [InlineData("user/app", "docker.io", "user/app", "latest")]
    [InlineData("docker.io/library/busybox:1", "docker.io", "library/busybox", "1")]
    [InlineData("localhost/app", "localhost", "app", "latest")]
    [InlineData("localhost:5000/team/app:v2", "localhost:5000", "team/app", "v2")]
    [InlineData("127.0.0.1:5000/a/b/c:x_y.z-1", "127.0.0.1:5000", "a/b/c", "x_y.z-1")]
    [InlineData("[::1]:5000/app", "[::1]:5000", "app", "latest")]
    [InlineData("registry.example.com/my-app__x.y", "registry.example.com", "my-app__x.y", "latest")]
    public void References_are_read_as_Docker_reads_them(string text, string registry, string repository, string tag)
    {
        var reference = ImageReference.Parse(text);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Null(reference.Digest);
        Assert.Equal($"{registry}/{repository}:{tag}", reference.FullName);
    }

    [Fact]
    public void A_digest_reference_fetches_by_digest_and_has_no_tag_unless_given()
    {
        var byDigest = ImageReference.Parse("127.0.0.1:5000/app@" + DigestA);
        Assert.Null(byDigest.Tag);
        Assert.Equal(DigestA, byDigest.ManifestReference);
        var both = ImageReference.Parse("app:1@" + DigestA);
        Assert.Equal("1", both.Tag);
        Assert.Equal(DigestA, both.ManifestReference);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Alpine")]
    [InlineData("app:")]
    [InlineData("app:-bad")]
    [InlineData("-app")]
    [InlineData("app//x")]
    [InlineData("app@sha256:abc")]
    [InlineData("app@md5:0123456789abcdef0123456789abcdef")]
    [InlineData("bad_host.example.com:x/app")]
    public void Invalid_references_are_refused(string text) =>
        Assert.Equal(ErrorIds.InvalidImageReference, Assert.Throws<ConmanException>(() => ImageReference.Parse(text)).ErrorId);

    [Theory]
    [InlineData("docker.io/library/alpine:3", "alpine:3")]
    [InlineData("docker.io/user/app:1", "user/app:1")]
    [InlineData("localhost:5000/app:1", "localhost:5000/app:1")]
    public void Familiar_names_drop_Docker_Hubs_prefixes(string full, string familiar) => Assert.Equal(familiar, ImageReference.Familiar(full));

    [Theory]
    [InlineData("sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("sha256:" + "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("sha256:0123", false)]
    [InlineData("sha512:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("sha256:../../../../etc/passwd000000000000000000000000000000000000000", false)]
    public void Digests_are_strict_since_they_name_files(string text, bool valid) => Assert.Equal(valid, Digest.TryParse(text, out _));

    [Fact]
    public void Chain_ids_follow_the_OCI_definition()
    {
        var chain = SnapshotStore.ChainIds([Digest.Parse(DigestA), Digest.Parse(DigestB)]);
        Assert.Equal(DigestA, chain[0].ToString());
        // sha256("sha256:aaa… sha256:bbb…"), computed independently.
        Assert.Equal("sha256:ccd722928bd92476ba1745586fed6e45a102504185ad88cd89e01ff116fd146c", chain[1].ToString());
    }

    [Fact]
    public void Bearer_challenges_are_parsed_with_quoted_and_bare_values()
    {
        var parameters = RegistryClient.ParseChallenge(
            "realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:library/alpine:pull,push\", error=insufficient_scope");
        Assert.Equal("https://auth.example.com/token", parameters["realm"]);
        Assert.Equal("registry.example.com", parameters["service"]);
        Assert.Equal("repository:library/alpine:pull,push", parameters["scope"]);
        Assert.Equal("insufficient_scope", parameters["error"]);
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("192.168.1.10:5000", false)]
    [InlineData("registry.example.com", false)]
    [InlineData("docker.io", false)]
    public void Plain_HTTP_is_for_loopback_registries_only(string registry, bool loopback) => Assert.Equal(loopback, RegistryClient.IsLoopback(registry));

    [Fact]
    public void An_index_resolves_to_linux_amd64_or_fails_saying_what_it_has()
    {
        Descriptor Manifest(string digest, string os, string architecture) =>
            new(MediaTypes.OciManifest, Digest.Parse(digest), 100, new Platform(os, architecture, null), new Dictionary<string, string>());
        var arm = Manifest(DigestA, "linux", "arm64");
        var amd = Manifest(DigestB, "linux", "amd64");
        Assert.Equal(amd, OciDocuments.SelectPlatform([arm, amd], "index"));
        var error = Assert.Throws<ConmanException>(() => OciDocuments.SelectPlatform([arm], "index"));
        Assert.Equal(ErrorIds.NoMatchingPlatform, error.ErrorId);
        Assert.Contains("linux/arm64", error.Message);
    }

    [Fact]
    public void Schema_1_manifests_and_broken_documents_are_clear_errors()
    {
        Assert.Equal(ErrorIds.InvalidImageDocument, Assert.Throws<ConmanException>(() =>
            OciDocuments.ParseManifest("{\"schemaVersion\":1,\"fsLayers\":[]}"u8.ToArray(), null, "manifest")).ErrorId);
        Assert.Equal(ErrorIds.InvalidDigest, Assert.Throws<ConmanException>(() =>
            OciDocuments.ParseManifest("{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:x\",\"size\":1}}"u8.ToArray(), null, "manifest")).ErrorId);
        Assert.Equal(ErrorIds.InvalidImageDocument, Assert.Throws<ConmanException>(() =>
            OciDocuments.ParseManifest("{\"schemaVersion\":2,\"layers\":[]}"u8.ToArray(), null, "manifest")).ErrorId);
        Assert.Equal(ErrorIds.InvalidImageDocument, Assert.Throws<ConmanException>(() =>
            OciDocuments.ParseManifest("not json"u8.ToArray(), null, "manifest")).ErrorId);
    }

    [Fact]
    public void Image_defaults_follow_Dockers_rules()
    {
        var image = new ImageConfig { WorkingDir = "/srv", User = "1000" };
        image.Entrypoint.Add("/entry");
        image.Cmd.AddRange(["--serve"]);
        image.Env.AddRange(["PATH=/bin", "MODE=prod", "EMPTY="]);
        image.Labels["from"] = "image";
        ProcessDefinition Resolve(ProcessConfig asked, ImageConfig? config) =>
            ProcessConfig.Resolve(asked, config, new Conman.Engine.Spec.RootFsView(["/nonexistent"]), config is null ? null : "x", null);

        var plain = Resolve(new ProcessConfig(), image);
        Assert.Equal(["/entry", "--serve"], plain.Command);
        Assert.Equal("prod", plain.Environment["MODE"]);
        Assert.Equal("", plain.Environment["EMPTY"]);
        Assert.Equal("/srv", plain.WorkingDirectory);
        Assert.Equal("1000", plain.User);
        Assert.Equal("image", plain.Labels["from"]);

        Assert.Equal(["/entry", "--debug"], Resolve(new ProcessConfig { Command = ["--debug"] }, image).Command);
        Assert.Equal(["/other"], Resolve(new ProcessConfig { Entrypoint = ["/other"] }, image).Command);
        Assert.Equal(["/other", "a"], Resolve(new ProcessConfig { Entrypoint = ["/other"], Command = ["a"] }, image).Command);
        var overridden = Resolve(new ProcessConfig
        {
            WorkingDirectory = "/", User = "0", Environment = new Dictionary<string, string> { ["MODE"] = "dev" }, Labels = new Dictionary<string, string> { ["from"] = "user" },
        }, image);
        Assert.Equal(("/", "0", "dev", "user"), (overridden.WorkingDirectory, overridden.User, overridden.Environment["MODE"], overridden.Labels["from"]));
        Assert.Equal(["/bin/sh"], Resolve(new ProcessConfig(), null).Command);
    }

    [Fact]
    public void Stored_credentials_match_the_most_specific_key_and_Docker_s_older_keys()
    {
        static string Auth(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
        string json = $$"""
            {
              "auths": {
                "quay.io": { "auth": "{{Auth("whole:registry")}}" },
                "quay.io/team": { "auth": "{{Auth("team:pass:with:colons")}}" },
                "https://index.docker.io/v1/": { "auth": "{{Auth("hub:secret")}}" },
                "localhost:5000": { "identitytoken": "not a password" }
              }
            }
            """;
        var team = RegistryAuthFiles.Lookup(json, ImageReference.Parse("quay.io/team/app:1"), "auth.json")!;
        Assert.Equal(("team", "pass:with:colons"), (team.UserName, team.Password));
        Assert.Equal("whole", RegistryAuthFiles.Lookup(json, ImageReference.Parse("quay.io/other/app"), "auth.json")!.UserName);
        Assert.Equal("hub", RegistryAuthFiles.Lookup(json, ImageReference.Parse("alpine"), "auth.json")!.UserName);
        Assert.Null(RegistryAuthFiles.Lookup(json, ImageReference.Parse("localhost:5000/app"), "auth.json"));
        Assert.Null(RegistryAuthFiles.Lookup(json, ImageReference.Parse("ghcr.io/app"), "auth.json"));
        Assert.Null(RegistryAuthFiles.Lookup("{}", ImageReference.Parse("quay.io/app"), "auth.json"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{ "auths": { "quay.io": { "auth": "bm8tY29sb24=" } } }""")] // "no-colon"
    [InlineData("""{ "auths": { "quay.io": { "auth": "%%%" } } }""")]
    public void A_broken_credentials_file_is_a_clear_error(string json)
    {
        var error = Assert.Throws<ConmanException>(() => RegistryAuthFiles.Lookup(json, ImageReference.Parse("quay.io/app"), "/x/auth.json"));
        Assert.Equal(ErrorIds.InvalidAuthFile, error.ErrorId);
        Assert.Contains("/x/auth.json", error.Message);
    }
}
