namespace CorsKit.Cli.Check;

/// <summary>What script on a page at <see cref="Origin"/> asks <c>fetch()</c> to do.</summary>
internal sealed record CorsCheckRequest
{
    /// <summary>The URL fetched: absolute http or https.</summary>
    public required Uri Url { get; init; }

    /// <summary>The page's origin (<c>https://app.example.com</c>, or <c>null</c> for an opaque origin).</summary>
    public required string Origin { get; init; }

    /// <summary>The method as script passes it; normalized as fetch does (<c>put</c> becomes <c>PUT</c>, <c>patch</c> stays).</summary>
    public string Method { get; init; } = "GET";

    /// <summary>Headers script sets, in order. Repeated names are joined with ", " as the browser joins them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary><c>credentials: 'include'</c>.</summary>
    public bool Credentials { get; init; }

    /// <summary>
    /// The Cookie header the browser would add from its cookie jar. Sent only with <see cref="Credentials"/>, and
    /// only on the request itself: a preflight never carries cookies.
    /// </summary>
    public string? Cookie { get; init; }

    /// <summary>The body's content type (<c>Content-Type</c>), when script sends a body.</summary>
    public string? BodyType { get; init; }

    /// <summary>A text body. Without <see cref="BodyType"/> fetch labels it <c>text/plain;charset=UTF-8</c>.</summary>
    public string? Body { get; init; }

    /// <summary>Whose rules apply where browser engines differ, and whose console message the check prints.</summary>
    public CheckBrowser Browser { get; init; } = CheckBrowser.Chromium;

    /// <summary>The time allowed for the whole check, redirects and preflights included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}
