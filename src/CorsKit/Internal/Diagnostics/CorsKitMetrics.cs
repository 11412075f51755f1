using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CorsKit.Internal;

/// <summary>The <c>CorsKit</c> meter: one <c>corskit.requests</c> count per decision. One per app.</summary>
internal sealed class CorsKitMetrics
{
    public const string MeterName = "CorsKit";
    public const string RequestsCounterName = "corskit.requests";

    private static readonly string[] ReasonTags = Enum.GetValues<CorsKitReason>().Select(ToSnakeCase).ToArray();

    private readonly Counter<long> _requests;

    public CorsKitMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>(RequestsCounterName, "{request}",
            "Requests seen by CorsKit, by kind (preflight, actual, websocket, not_cors), outcome (allowed, refused, none), reason and policy.");
    }

    public static string ReasonTag(CorsKitReason reason) => ReasonTags[(int)reason];

    /// <param name="kind">preflight, actual, websocket or not_cors (<see cref="CorsRequest.KindTag"/>).</param>
    /// <param name="reason">The decision.</param>
    /// <param name="policy">The policy's name, or null when none applied.</param>
    public void Count(string kind, CorsKitReason reason, string? policy)
    {
        if (!_requests.Enabled) return;
        var outcome = reason switch
        {
            CorsKitReason.Allowed => "allowed",
            CorsKitReason.NotCors or CorsKitReason.NoPolicy => "none",
            _ => "refused",
        };
        var tags = new TagList
        {
            { "corskit.kind", kind },
            { "corskit.outcome", outcome },
            { "corskit.reason", ReasonTag(reason) },
            { "corskit.policy", policy ?? string.Empty },
        };
        _requests.Add(1, tags);
    }

    private static string ToSnakeCase(CorsKitReason reason)
    {
        var text = reason.ToString();
        var builder = new System.Text.StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsUpper(text[i]) && i > 0) builder.Append('_');
            builder.Append(char.ToLowerInvariant(text[i]));
        }
        return builder.ToString();
    }
}
