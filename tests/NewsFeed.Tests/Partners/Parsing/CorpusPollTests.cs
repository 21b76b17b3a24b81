using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Partners;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>
/// The app for <see cref="CorpusPollTests"/>: partners live at the corpus documents' own addresses
/// (https://corpus.example/…), so relative links resolve as they would for the real partner. The partner
/// client's connections all go to WireMock.Net on loopback (a TLS server, whose own certificate this test
/// trusts, and a plain one for http addresses); everything above the socket is the app's own path:
/// resilience pipeline, redirects, caps, decoding, parsing, the store.
/// </summary>
public sealed class CorpusPollApp : IDisposable
{
    private readonly WireMockServer _https = WireMockServer.Start(new WireMockServerSettings
    {
        UseSSL = true,
        CertificateSettings = new WireMockCertificateSettings { X509Certificate = SelfSigned() },
    });
    private readonly WireMockServer _http = WireMockServer.Start();

    public CorpusPollApp()
    {
        App = new NewsFeedApp
        {
            Settings = new(PartnerHarness.TestSettings),
            TestServices = services => services.AddHttpClient<PartnerFetcher>().ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.All,
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var port = context.InitialRequestMessage.RequestUri!.Scheme == Uri.UriSchemeHttps ? _https.Ports[0] : _http.Ports[0];
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                },
#pragma warning disable CA5359 // The test's own loopback server, with WireMock.Net's certificate.
                SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
#pragma warning restore CA5359
            }),
        };
        App.CreateClient().Dispose();
    }

    public NewsFeedApp App { get; }

    /// <summary>A certificate of the test's own for the loopback TLS server (the machine has no developer certificate).</summary>
    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=corpus.example", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Exported and loaded again, so the private key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    internal IPartnerStore Store => App.Services.GetRequiredService<IPartnerStore>();

    internal PartnerPoller Poller => App.Services.GetRequiredService<PartnerPoller>();

    /// <summary>Answers the document's path, on both servers, with its bytes and Content-Type (replacing whatever answered there).</summary>
    internal void Serve(CorpusDocuments.Document document)
    {
        foreach (var server in new[] { _https, _http })
        {
            server.Reset();
            server.Given(Request.Create().WithPath(document.Url.AbsolutePath).UsingGet())
                .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", document.ContentType).WithBody(CorpusDocuments.Bytes(document)));
        }
    }

    public void Dispose()
    {
        App.Dispose();
        _https.Dispose();
        _http.Dispose();
    }
}

/// <summary>
/// Every document of feeds/partners/corpus polled through the full path (see <see cref="CorpusPollApp"/>) and read
/// back from the store: the number of items, and each item's title, link, date (published, else updated) and
/// author, as expected.json says. CorpusTests checks the same at the parser alone.
/// </summary>
public sealed class CorpusPollTests(CorpusPollApp fixture) : IClassFixture<CorpusPollApp>
{
    public static TheoryData<string> Files() => [.. CorpusDocuments.Documents.Select(d => d.File)];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Poll_CorpusDocument_AtItsOwnAddress_StoresWhatItSays(string file)
    {
        var document = CorpusDocuments.Get(file);
        var id = "corpus-" + file.ToLowerInvariant().Replace('_', '-').Replace('.', '-');
        fixture.Serve(document);
        // The parser's default item limit (200), as CorpusTests reads with.
        Assert.True(await fixture.Store.AddAsync(new Partner { Id = id, Name = file, Url = document.Url.AbsoluteUri, ItemCap = 200 }, fixture.App.Time.GetUtcNow(), CancellationToken.None));

        var result = await fixture.Poller.PollAsync(id, CancellationToken.None);

        var stored = await fixture.Store.GetNewestAsync(id, null, 1_000, CancellationToken.None);
        if (document.Items.Count > 0)
        {
            Assert.True(result.Outcome == PollOutcome.Updated, $"{file}: {result.Outcome} {result.Error}");
        }
        Assert.Equal(Ordered(document.Items), Ordered(stored.Select(s => new CorpusDocuments.Item(s.Item.Title, s.Item.Url, s.Item.Published ?? s.Item.Updated, s.Item.Author))));
    }

    private static List<CorpusDocuments.Item> Ordered(IEnumerable<CorpusDocuments.Item> items) =>
        [.. items.OrderBy(i => i.Title, StringComparer.Ordinal).ThenBy(i => i.Link, StringComparer.Ordinal).ThenBy(i => i.Date).ThenBy(i => i.Author, StringComparer.Ordinal)];
}
