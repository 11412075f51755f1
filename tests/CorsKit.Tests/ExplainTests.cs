using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Tests;

/// <summary>The explain API reports exactly what the middleware sends.</summary>
public sealed class ExplainTests : IAsyncLifetime
{
    private const string App = "https://app.example";
    private WebApplication _app = null!;
    private ICorsKitExplainer _explainer = null!;

    public async Task InitializeAsync()
    {
        _app = await Host.StartAsync(b => b.Services.AddCorsKit(o =>
        {
            o.AddDefaultPolicy(p => p.AllowOrigins(App, "https://*.example.org").AllowMethods("PUT").AllowRequestHeaders("content-type").ExposeHeaders("x-total").AllowCredentials().SetPreflightMaxAge(TimeSpan.FromMinutes(5)));
            o.AddPolicy("public", p => p.AllowAnyOrigin().AllowAnyMethod());
        }), a =>
        {
            a.UseCorsKit();
            a.MapMethods("/", ["GET", "PUT", "DELETE"], () => "ok");
        });
        _explainer = _app.Services.GetRequiredService<ICorsKitExplainer>();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string?, string, string?> Preflights => new()
    {
        { App, "PUT", "content-type" },
        { App, "PUT", null },
        { "https://a.example.org", "PUT", "content-type" },
        { App, "DELETE", null },
        { App, "PUT", "x-secret" },
        { "https://evil.example", "PUT", null },
        { "null", "PUT", null },
        { "https://app.example/", "PUT", null },
    };

    private static readonly string[] CorsHeaderNames =
    [
        "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods",
        "Access-Control-Allow-Headers", "Access-Control-Max-Age", "Access-Control-Expose-Headers", "Vary",
    ];

    // HttpClient splits Vary into one value per token; compare token by token.
    private static IEnumerable<string> Split(string name, IEnumerable<string> values) =>
        name == "Vary" ? values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)) : values;

    private static IEnumerable<string> Wire(HttpResponseMessage response) =>
        CorsHeaderNames.SelectMany(name => Split(name, response.Header(name)).Select(value => $"{name}: {value}"));

    private static IEnumerable<string> Explained(CorsKitExplanation explanation) =>
        CorsHeaderNames.SelectMany(name => Split(name, explanation.Headers.Where(h => h.Key == name).Select(h => h.Value)).Select(value => $"{name}: {value}"));

    [Theory]
    [MemberData(nameof(Preflights))]
    public async Task Preflight_explanation_matches_the_wire(string? origin, string method, string? requestHeaders)
    {
        var response = await _app.PreflightAsync("/", origin!, method, requestHeaders);

        var explanation = _explainer.Explain((string?)null, new CorsKitRequestFacts
        {
            Origin = origin, Method = method, IsPreflight = true,
            RequestHeaders = requestHeaders?.Split(',') ?? [],
        });

        explanation.StatusCode.Should().Be((int)response.StatusCode);
        explanation.Allowed.Should().Be(response.StatusCode == System.Net.HttpStatusCode.NoContent);
        Explained(explanation).Should().Equal(Wire(response));
        explanation.PolicyName.Should().Be("default");
    }

    [Theory]
    [InlineData(App)]
    [InlineData("https://b.example.org")]
    [InlineData("https://evil.example")]
    [InlineData(null)]
    public async Task Actual_request_explanation_matches_the_wire(string? origin)
    {
        var response = origin is null ? await _app.SendAsync(HttpMethod.Get, "/") : await _app.SendAsync(HttpMethod.Get, "/", ("Origin", origin));

        var explanation = _explainer.Explain((string?)null, new CorsKitRequestFacts { Origin = origin });

        explanation.StatusCode.Should().BeNull();
        Explained(explanation).Should().Equal(Wire(response));
    }

    [Fact]
    public void Explanation_gives_the_reason_in_plain_words()
    {
        var explanation = _explainer.Explain((string?)null, new CorsKitRequestFacts { Origin = App, Method = "PUT", IsPreflight = true, RequestHeaders = ["x-secret"] });

        explanation.Allowed.Should().BeFalse();
        explanation.Reason.Should().Be(CorsKitReason.HeaderNotAllowed);
        explanation.Message.Should().Contain("x-secret");
    }

    [Fact]
    public void Credentials_against_a_policy_without_them_is_explained_as_blocked()
    {
        var explanation = _explainer.Explain("public", new CorsKitRequestFacts { Origin = App, Credentials = true });

        explanation.Allowed.Should().BeFalse();
        explanation.Message.Should().Contain("AllowCredentials");
        explanation.Headers.Should().Contain(new KeyValuePair<string, string>("Access-Control-Allow-Origin", "*"));
    }

    [Fact]
    public void A_policy_object_can_be_explained_directly()
    {
        var policy = new CorsKitPolicyBuilder().AllowOrigins("https://x.example").Build("adhoc");

        _explainer.Explain(policy, new CorsKitRequestFacts { Origin = "https://x.example" }).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Unknown_policy_name_is_an_argument_error_listing_the_known_ones()
    {
        var act = () => _explainer.Explain("nope", new CorsKitRequestFacts());

        act.Should().Throw<ArgumentException>().WithMessage("*'nope'*default*public*");
    }
}
