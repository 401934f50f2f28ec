using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Conman.Tests;

/// <summary>
/// A registry token service, as Docker Hub's auth.docker.io is to its registry: it answers
/// GET /token?service=..&amp;scope=.. with a JWT signed by a key whose certificate the registry
/// trusts (the x5c header carries it). Pulls of "public/" repositories are granted to anyone;
/// everything else needs the Basic credentials it was made with.
/// </summary>
public sealed class TokenService : IDisposable
{
    public const string Service = "conman-test-registry";
    public const string Issuer = "conman-test-issuer";

    private readonly LoopbackHttpServer _server;
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly string _user, _password;

    public TokenService(int port, string user, string password)
    {
        _user = user;
        _password = password;
        var request = new CertificateRequest("CN=conman-test-token-signer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _server = new LoopbackHttpServer(Answer, port);
        Realm = $"http://{_server.Address}/token";
    }

    public string Realm { get; }
    public int TokensIssued { get; private set; }

    /// <summary>The certificate, for the registry's rootcertbundle.</summary>
    public string CertificatePem => _certificate.ExportCertificatePem();

    private async Task Answer(HttpListenerContext context)
    {
        var response = context.Response;
        var scopes = (context.Request.QueryString.GetValues("scope") ?? []).SelectMany(s => s.Split(' ')).ToList();
        bool authenticated = context.Request.Headers["Authorization"] ==
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_user}:{_password}"));
        bool wrongCredentials = context.Request.Headers["Authorization"] is not null && !authenticated;
        bool anonymousAllowed = scopes.All(s => s.StartsWith("repository:public/", StringComparison.Ordinal) && s.EndsWith(":pull", StringComparison.Ordinal));
        if (wrongCredentials || (!authenticated && !anonymousAllowed))
        {
            response.StatusCode = 401;
            return;
        }
        TokensIssued++;
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new { token = Token(scopes, authenticated ? _user : ""), expires_in = 300 });
        response.ContentType = "application/json";
        await response.OutputStream.WriteAsync(body);
    }

    private string Token(IEnumerable<string> scopes, string subject)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var access = scopes.Select(scope => scope.Split(':')).Where(p => p.Length == 3)
            .Select(p => new { type = p[0], name = p[1], actions = p[2].Split(',') }).ToArray();
        var header = new { alg = "RS256", typ = "JWT", x5c = new[] { Convert.ToBase64String(_certificate.RawData) } };
        var claims = new { iss = Issuer, sub = subject, aud = Service, exp = now + 300, nbf = now - 10, iat = now, jti = Guid.NewGuid().ToString("N"), access };
        string signed = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        _server.Dispose();
        _certificate.Dispose();
        _key.Dispose();
    }
}
