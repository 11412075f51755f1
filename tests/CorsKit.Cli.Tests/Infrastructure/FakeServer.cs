using System.Net;

namespace CorsKit.Cli.Tests.Infrastructure;

/// <summary>A request the fake server received: method, URL and every header (content headers included).</summary>
internal sealed record ReceivedRequest(string Method, Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers, string? Body)
{
    public string? Header(string name)
    {
        var values = Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToArray();
        return values.Length == 0 ? null : string.Join(", ", values);
    }
}

/// <summary>Answers each request with a hand-made response and records what it received.</summary>
internal sealed class FakeServer(Func<ReceivedRequest, HttpResponseMessage> respond) : HttpMessageHandler
{
    private readonly List<ReceivedRequest> _received = [];

    public IReadOnlyList<ReceivedRequest> Received => _received;

    /// <summary>Answers a preflight with <paramref name="preflight"/> and anything else with <paramref name="actual"/>.</summary>
    public static FakeServer Answering(HttpResponseMessage? preflight, HttpResponseMessage actual) =>
        new(request => request.Method == "OPTIONS" ? preflight ?? Response(500) : actual);

    public static HttpResponseMessage Response(int status, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new ByteArrayContent([]) };
        foreach (var (name, value) in headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value)) response.Content.Headers.TryAddWithoutValidation(name, value);
        }
        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // NonValidated: the values as the engine set them, not re-serialized by a parser.
        var headers = request.Headers.NonValidated.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))).ToList();
        string? body = null;
        if (request.Content is not null)
        {
            headers.AddRange(request.Content.Headers.NonValidated.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))));
            body = await request.Content.ReadAsStringAsync(cancellationToken);
        }
        var received = new ReceivedRequest(request.Method.Method, request.RequestUri!, headers, body);
        _received.Add(received);
        return respond(received);
    }
}
