using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace CorsKit.Cli.Check;

/// <summary>
/// Does what a browser does for <c>fetch(url, { method, headers, credentials })</c> from a page at an origin: decides
/// whether a preflight is needed, sends it as Chromium does, runs the CORS-preflight checks, sends the request
/// (following redirects as fetch does), runs the CORS check on every response, and says which response headers
/// script could read. Transport-neutral: give it any <see cref="HttpMessageHandler"/> (a socket handler, a
/// TestServer's handler, a fake) that does not follow redirects itself.
/// </summary>
internal static class CorsCheckEngine
{
    /// <summary>The header in which CorsKit's debug mode states why it refused a request.</summary>
    public const string ServerReasonHeader = CorsKit.Internal.CorsHeaders.DebugReason;

    private const int MaxRedirects = 20;

    private static readonly string UserAgent =
        "corskit/"
        + (typeof(CorsCheckEngine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? "0");

    /// <summary>
    /// A handler that behaves like a browser's network stack here: no automatic redirects, no cookie jar, and
    /// <c>localhost</c> and every name under it on the loopback address.
    /// </summary>
    public static SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = ConnectAsync,
    };

    /// <summary>
    /// Browsers resolve <c>localhost</c> and <c>*.localhost</c> to loopback themselves (RFC 6761), without asking DNS;
    /// the system resolver often knows only <c>localhost</c>, and the check would fail where the browser connects.
    /// </summary>
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (IsLocalhostName(endpoint.Host))
            {
                await socket.ConnectAsync([IPAddress.Loopback, IPAddress.IPv6Loopback], endpoint.Port, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            }
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool IsLocalhostName(string host)
    {
        var name = host.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Checks the request over the network.</summary>
    public static async Task<CorsCheckResult> CheckAsync(CorsCheckRequest request, CancellationToken cancellationToken = default)
    {
        using var handler = CreateHandler();
        return await CheckAsync(request, handler, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the request through <paramref name="handler"/>, which must not follow redirects.</summary>
    public static async Task<CorsCheckResult> CheckAsync(
        CorsCheckRequest request, HttpMessageHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handler);

        var warnings = new List<string>();
        var prepared = PreparedRequest.Create(request, warnings, out var error);
        if (prepared is null)
        {
            return new CorsCheckResult { Outcome = CheckOutcome.Error, Request = request, Error = error, Warnings = warnings };
        }

        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        var run = new Run(request, prepared, invoker, warnings);
        try
        {
            return await run.ExecuteAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var seconds = request.Timeout.TotalSeconds;
            var url = run.CurrentUrl.AbsoluteUri;
            return run.Failed(string.Create(CultureInfo.InvariantCulture, $"No answer from {url} within {seconds:0.###} s (--timeout)."));
        }
        catch (HttpRequestException ex)
        {
            return run.Failed($"Could not reach {run.CurrentUrl.AbsoluteUri}: {ex.Message}");
        }
    }

    /// <summary>One check: the state fetch keeps across preflights and redirects.</summary>
    private sealed class Run(CorsCheckRequest request, PreparedRequest prepared, HttpMessageInvoker invoker, List<string> warnings)
    {
        private readonly List<HttpExchange> _exchanges = [];
        private readonly List<string> _preflightReasons = [];
        private List<string> _unsafeNames = [];
        private string _method = prepared.Method;
        private List<KeyValuePair<string, string>> _headers = prepared.Headers;
        private string? _body = prepared.Body;
        private Uri? _redirectedFrom;
        private bool _tainted;

        public Uri CurrentUrl { get; private set; } = prepared.Url;

        /// <summary>After a redirect to another origin the browser hides the page's origin: it sends <c>null</c>.</summary>
        private string SentOrigin => _tainted ? "null" : request.Origin;

        public async Task<CorsCheckResult> ExecuteAsync(CancellationToken cancellationToken)
        {
            var cors = !IsSameOrigin(CurrentUrl, request.Origin);
            for (var redirects = 0; redirects <= MaxRedirects; redirects++)
            {
                _unsafeNames = FetchRules.UnsafeHeaderNames(_headers);
                if (cors && NeedsPreflight())
                {
                    var preflight = await SendAsync(ExchangeKind.Preflight, "OPTIONS", PreflightHeaders(), null, cancellationToken)
                        .ConfigureAwait(false);
                    var (failure, detail) = EvaluatePreflight(preflight);
                    if (failure != CorsFailure.None) return Blocked(ExchangeKind.Preflight, failure, detail, preflight);
                }

                var actual = await SendAsync(ExchangeKind.Actual, _method, ActualHeaders(cors), _body, cancellationToken).ConfigureAwait(false);
                if (cors)
                {
                    var (failure, detail) = CheckAccess(actual.ResponseHeaders);
                    if (failure != CorsFailure.None) return Blocked(ExchangeKind.Actual, failure, detail, actual);
                }

                var location = IsRedirectStatus(actual.Status) ? Header(actual.ResponseHeaders, "Location") : null;
                if (location is null) return Allowed(actual, cors);

                var error = FollowRedirect(location, actual.Status);
                if (error is not null) return Failed(error);
                cors = cors || _tainted || !IsSameOrigin(CurrentUrl, request.Origin);
            }

            const string givesUp = "the browser gives up (net::ERR_TOO_MANY_REDIRECTS).";
            return Failed(string.Create(CultureInfo.InvariantCulture, $"More than {MaxRedirects} redirects: {givesUp}"));
        }

        public CorsCheckResult Failed(string error) => Result(CheckOutcome.Error) with { Error = error };

        /// <summary>What every result carries: the request, the exchanges so far and why a preflight was sent.</summary>
        private CorsCheckResult Result(CheckOutcome outcome) => new()
        {
            Outcome = outcome,
            Request = request,
            Method = _method,
            PreflightReasons = _preflightReasons,
            UnsafeHeaderNames = _unsafeNames,
            Exchanges = _exchanges,
            Warnings = warnings,
        };

        private bool NeedsPreflight()
        {
            _preflightReasons.Clear();
            _preflightReasons.AddRange(FetchRules.PreflightReasons(_method, _headers, _unsafeNames));
            return _preflightReasons.Count != 0;
        }

        private List<KeyValuePair<string, string>> PreflightHeaders()
        {
            // The order and values Chromium uses; no credentials, no script headers.
            var headers = new List<KeyValuePair<string, string>>
            {
                new("Accept", "*/*"),
                new("Access-Control-Request-Method", _method),
            };
            if (_unsafeNames.Count != 0) headers.Add(new("Access-Control-Request-Headers", string.Join(',', _unsafeNames)));
            headers.Add(new("Origin", SentOrigin));
            AddBrowserHeaders(headers);
            return headers;
        }

        private List<KeyValuePair<string, string>> ActualHeaders(bool cors)
        {
            var headers = new List<KeyValuePair<string, string>>(_headers);
            if (Header(headers, "Accept") is null) headers.Add(new("Accept", "*/*"));
            // Browsers send Origin on every CORS request, and on same-origin requests other than GET and HEAD.
            if (cors || _method is not ("GET" or "HEAD")) headers.Add(new("Origin", SentOrigin));
            if (request.Cookie is not null && (request.Credentials || !cors)) headers.Add(new("Cookie", request.Cookie));
            AddBrowserHeaders(headers);
            return headers;
        }

        private static void AddBrowserHeaders(List<KeyValuePair<string, string>> headers)
        {
            headers.Add(new("User-Agent", UserAgent));
            headers.Add(new("Sec-Fetch-Mode", "cors"));
            headers.Add(new("Sec-Fetch-Dest", "empty"));
        }

        private async Task<HttpExchange> SendAsync(
            ExchangeKind kind, string method, List<KeyValuePair<string, string>> headers, string? body, CancellationToken cancellationToken)
        {
            using var message = new HttpRequestMessage(new HttpMethod(method), CurrentUrl);
            if (body is not null) message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            foreach (var (name, value) in headers)
            {
                if (message.Headers.TryAddWithoutValidation(name, value)) continue;
                // Content-Type and Content-Language travel with the content, even an empty one.
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await invoker.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var received = new List<KeyValuePair<string, string>>();
            foreach (var header in response.Headers.NonValidated)
            {
                foreach (var value in header.Value) received.Add(new(header.Key, value));
            }
            foreach (var header in response.Content.Headers.NonValidated)
            {
                foreach (var value in header.Value) received.Add(new(header.Key, value));
            }

            var exchange = new HttpExchange(kind, method, CurrentUrl, headers, (int)response.StatusCode, response.ReasonPhrase, received);
            _exchanges.Add(exchange);
            return exchange;
        }

        /// <summary>
        /// The CORS-preflight checks, in the browser's order: Chromium (and the Fetch Standard) look at a redirect,
        /// then the origin, then the status; Firefox at the origin, then the status; WebKit at the status first.
        /// </summary>
        private (CorsFailure, string?) EvaluatePreflight(HttpExchange preflight)
        {
            var headers = preflight.ResponseHeaders;
            var browser = request.Browser;
            var redirect = IsRedirectStatus(preflight.Status) && Header(headers, "Location") is not null;
            var statusOk = preflight.Status is >= 200 and <= 299;
            if (browser == CheckBrowser.WebKit && !statusOk) return (CorsFailure.PreflightInvalidStatus, null);
            if (redirect && browser is CheckBrowser.Chromium or CheckBrowser.Fetch) return (CorsFailure.PreflightRedirect, null);

            var access = CheckAccess(headers);
            if (access.Item1 != CorsFailure.None) return access;
            if (!statusOk) return (CorsFailure.PreflightInvalidStatus, null);

            if (!FetchRules.TryParseTokenList(Header(headers, "Access-Control-Allow-Methods"), out var methods, out var badMethod))
            {
                return (CorsFailure.InvalidAllowMethods, badMethod);
            }
            if (!FetchRules.TryParseTokenList(Header(headers, "Access-Control-Allow-Headers"), out var allowedHeaders, out var badHeader))
            {
                return (CorsFailure.InvalidAllowHeaders, badHeader);
            }

            // Methods compare case-sensitively; '*' is a wildcard only without credentials.
            var credentials = request.Credentials;
            if (!FetchRules.IsSafelistedMethod(_method) && !methods.Contains(_method, StringComparer.Ordinal)
                && (credentials || !methods.Contains("*", StringComparer.Ordinal)))
            {
                return (CorsFailure.MethodNotAllowed, _method);
            }

            var anyHeader = !credentials && allowedHeaders.Contains("*", StringComparer.Ordinal);
            foreach (var name in _unsafeNames)
            {
                if (allowedHeaders.Contains(name, StringComparer.OrdinalIgnoreCase)) continue;
                if (anyHeader && (name != "authorization" || BrowserRules.WildcardCoversAuthorization(browser)))
                {
                    if (name == "authorization") warnings.Add(BrowserRules.AuthorizationUnderWildcardWarning(browser));
                    continue;
                }
                // WebKit names the header as script spelled it; Chromium and Firefox in lower case.
                return (CorsFailure.HeaderNotAllowed, browser == CheckBrowser.WebKit ? SpelledName(name) : name);
            }

            if (BrowserRules.CacheWarning(browser, Header(headers, "Access-Control-Max-Age")) is { } cacheWarning) warnings.Add(cacheWarning);
            return (CorsFailure.None, null);
        }

        private string SpelledName(string lowerName) =>
            _headers.Find(h => h.Key.Equals(lowerName, StringComparison.OrdinalIgnoreCase)).Key ?? lowerName;

        /// <summary>The CORS check every response gets (Chromium's order and wording of the failures).</summary>
        private (CorsFailure, string?) CheckAccess(IReadOnlyList<KeyValuePair<string, string>> headers)
        {
            var allowOrigin = Header(headers, "Access-Control-Allow-Origin");
            var origin = SentOrigin;
            if (allowOrigin is null) return (CorsFailure.MissingAllowOrigin, null);
            if (allowOrigin == "*")
            {
                if (request.Credentials) return (CorsFailure.WildcardOriginWithCredentials, null);
                return (CorsFailure.None, null);
            }

            if (!string.Equals(allowOrigin, origin, StringComparison.Ordinal))
            {
                if (allowOrigin.AsSpan().IndexOfAny(' ', ',') >= 0) return (CorsFailure.MultipleAllowOriginValues, allowOrigin);
                if (allowOrigin != "null" && !Uri.TryCreate(allowOrigin, UriKind.Absolute, out _))
                {
                    return (CorsFailure.InvalidAllowOriginValue, allowOrigin);
                }
                return (CorsFailure.AllowOriginMismatch, allowOrigin);
            }

            if (request.Credentials)
            {
                var allowCredentials = Header(headers, "Access-Control-Allow-Credentials");
                if (allowCredentials != "true") return (CorsFailure.InvalidAllowCredentials, allowCredentials ?? string.Empty);
            }
            return (CorsFailure.None, null);
        }

        /// <summary>Fetch's HTTP-redirect steps: resolve, taint the origin, and change the method where fetch does.</summary>
        private string? FollowRedirect(string location, int status)
        {
            if (!Uri.TryCreate(CurrentUrl, location, out var next) || (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps))
            {
                return $"The redirect to '{location}' is not an http(s) URL: the browser fails the fetch (TypeError: Failed to fetch).";
            }
            if (next.UserInfo.Length != 0)
            {
                return $"The redirect to '{location}' carries a user name or password: the browser fails the fetch (TypeError: Failed to fetch).";
            }

            if (!IsSameOrigin(next, PreparedRequest.OriginOf(CurrentUrl)) && !IsSameOrigin(CurrentUrl, request.Origin)) _tainted = true;

            if (((status is 301 or 302) && _method == "POST") || (status == 303 && _method is not ("GET" or "HEAD")))
            {
                _method = "GET";
                _body = null;
                _headers = _headers.FindAll(h => !FetchRules.IsRequestBodyHeader(h.Key));
            }

            _redirectedFrom ??= prepared.Url;
            CurrentUrl = next;
            return null;
        }

        private CorsCheckResult Blocked(ExchangeKind at, CorsFailure failure, string? detail, HttpExchange exchange) =>
            Result(CheckOutcome.Blocked) with
        {
            Failure = failure,
            BlockedAt = at,
            ConsoleMessage = ConsoleMessages.Format(request.Browser,
                new BlockedExchange(CurrentUrl, _redirectedFrom, request.Origin, SentOrigin, at, failure, detail, exchange.Status)),
            Fix = ChromiumMessages.Fix(failure, SentOrigin, detail, request.Credentials, at),
            ServerReason = Header(exchange.ResponseHeaders, ServerReasonHeader) ?? FindServerReason(),
        };

        private CorsCheckResult Allowed(HttpExchange final, bool cors)
        {
            var headers = final.ResponseHeaders;
            if (!FetchRules.TryParseTokenList(Header(headers, "Access-Control-Expose-Headers"), out var exposed, out _)) exposed = [];
            var exposeAll = !cors || (!request.Credentials && exposed.Contains("*", StringComparer.Ordinal));

            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (name, _) in headers) names.Add(name.ToLowerInvariant());
            var readable = new List<string>();
            var hidden = new List<string>();
            foreach (var name in names)
            {
                var canRead = !FetchRules.IsForbiddenResponseHeader(name)
                    && (exposeAll || FetchRules.IsSafelistedResponseHeader(name) || exposed.Contains(name, StringComparer.OrdinalIgnoreCase));
                (canRead ? readable : hidden).Add(name);
            }

            return Result(CheckOutcome.Allowed) with
            {
                ReadableHeaders = readable,
                HiddenHeaders = hidden,
                Status = final.Status,
            };
        }

        private string? FindServerReason()
        {
            for (var i = _exchanges.Count - 1; i >= 0; i--)
            {
                var reason = Header(_exchanges[i].ResponseHeaders, ServerReasonHeader);
                if (reason is not null) return reason;
            }
            return null;
        }
    }

    /// <summary>All values of a header joined with ", " (as Chromium reads a repeated header), or null when absent.</summary>
    internal static string? Header(IReadOnlyList<KeyValuePair<string, string>> headers, string name)
    {
        string? joined = null;
        foreach (var (key, value) in headers)
        {
            if (!key.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
            joined = joined is null ? value : joined + ", " + value;
        }
        return joined;
    }

    private static bool IsRedirectStatus(int status) => status is 301 or 302 or 303 or 307 or 308;

    private static bool IsSameOrigin(Uri url, string origin) => string.Equals(PreparedRequest.OriginOf(url), origin, StringComparison.Ordinal);

    /// <summary>Exit code of the verdict: 0 allowed, 1 blocked, 2 no verdict.</summary>
    public static int ExitCode(CorsCheckResult result) => (int)result.Outcome;

    /// <summary>HTTP status text for display when the server sent none (HTTP/2 has no reason phrase).</summary>
    internal static string StatusText(HttpExchange exchange) =>
        exchange.ReasonPhrase is { Length: > 0 } phrase ? phrase : ((HttpStatusCode)exchange.Status).ToString();
}
