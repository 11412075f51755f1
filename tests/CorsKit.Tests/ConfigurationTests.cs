using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Tests;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("corskit-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private const string SampleJson = """
        {
          "CorsKit": {
            "DefaultPolicy": "web",
            "Policies": {
              "web": {
                "Origins": [ "https://app.example.com", "https://*.example.com", "http://localhost:*" ],
                "OriginRegexes": [ "https://pr-[0-9]+\\.preview\\.example\\.com" ],
                "Methods": [ "GET", "POST", "PUT", "DELETE" ],
                "RequestHeaders": [ "content-type", "authorization" ],
                "ExposedHeaders": [ "x-total-count" ],
                "AllowCredentials": true,
                "MaxAgeSeconds": 600
              },
              "public": {
                "Origins": [ "*" ],
                "Methods": [ "*" ],
                "RequestHeaders": [ "*" ]
              }
            }
          }
        }
        """;

    private async Task<TestApp> StartFromJson(string json, Action<CorsKitOptions>? alsoInCode = null, string? policy = null)
    {
        var path = Path.Combine(_directory, "appsettings.json");
        await File.WriteAllTextAsync(path, json);
        var configuration = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build();
        return await TestApp.StartAsync(services =>
        {
            services.AddCorsKit(configuration.GetSection("CorsKit"));
            if (alsoInCode is not null) services.AddCorsKit(alsoInCode);
        }, policy);
    }

    [Fact]
    public async Task Policies_bind_from_a_json_file_with_every_setting()
    {
        await using var app = await StartFromJson(SampleJson);

        var preflight = await app.PreflightAsync("https://pr-42.preview.example.com", "DELETE", "authorization,content-type");
        ((int)preflight.StatusCode).Should().Be(204);
        preflight.Single("Access-Control-Allow-Origin").Should().Be("https://pr-42.preview.example.com");
        preflight.Single("Access-Control-Allow-Credentials").Should().Be("true");
        preflight.Single("Access-Control-Allow-Methods").Should().Be("GET, POST, PUT, DELETE");
        preflight.Single("Access-Control-Allow-Headers").Should().Be("content-type, authorization");
        preflight.Single("Access-Control-Max-Age").Should().Be("600");

        var actual = await app.GetAsync("/", "https://a.example.com");
        actual.Single("Access-Control-Allow-Origin").Should().Be("https://a.example.com");
        actual.Single("Access-Control-Expose-Headers").Should().Be("x-total-count");

        (await app.GetAsync("/", "http://localhost:3000")).Single("Access-Control-Allow-Origin").Should().Be("http://localhost:3000");
        (await app.GetAsync("/", "https://evil.example")).Single("Access-Control-Allow-Origin").Should().BeNull();
    }

    [Fact]
    public async Task Star_in_configuration_means_any_origin_method_and_header()
    {
        await using var app = await StartFromJson(SampleJson, policy: "public");

        var preflight = await app.PreflightAsync("https://anyone.example", "PROPFIND", "x-custom");

        ((int)preflight.StatusCode).Should().Be(204);
        preflight.Single("Access-Control-Allow-Origin").Should().Be("*");
        preflight.Single("Access-Control-Allow-Methods").Should().Be("*");
        preflight.Single("Access-Control-Allow-Headers").Should().Be("*");
    }

    [Fact]
    public async Task Configuration_and_code_combine_into_the_same_policy()
    {
        await using var app = await StartFromJson(SampleJson, o => o.AddPolicy("web", p => p.AllowOrigins("https://added-in-code.example")));

        (await app.GetAsync("/", "https://added-in-code.example")).Single("Access-Control-Allow-Origin").Should().Be("https://added-in-code.example");
        (await app.GetAsync("/", "https://app.example.com")).Single("Access-Control-Allow-Origin").Should().Be("https://app.example.com");
    }

    private static CorsKitConfigurationException StartupErrorFor(string json)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddCorsKit(configuration.GetSection("CorsKit"));
        var app = builder.Build();
        app.UseCorsKit();
        var act = () => app.StartAsync();
        return act.Should().ThrowAsync<CorsKitConfigurationException>().GetAwaiter().GetResult().Which;
    }

    [Fact]
    public void Start_up_fails_listing_every_error_of_every_policy()
    {
        var error = StartupErrorFor("""
            { "CorsKit": { "DefaultPolicy": "missing", "Policies": {
                "a": { "Origins": [ "https://App.example.com/", "null" ], "AllowCredentials": "yes" },
                "b": { "Origins": [ "*" ], "AllowCredentials": true, "MaxAgeSeconds": 100000, "Methods": [ "TRACE" ] } } } }
            """);

        error.Message.Should()
            .Contain("policy 'a', Origins value 'https://App.example.com/'").And.Contain("Write 'https://app.example.com'")
            .And.Contain("policy 'a', Origins value 'null'")
            .And.Contain("policy 'a', AllowCredentials value 'yes'")
            .And.Contain("policy 'b', AllowCredentials value 'true'")
            .And.Contain("policy 'b', MaxAgeSeconds value '100000'")
            .And.Contain("policy 'b', Methods value 'TRACE'")
            .And.Contain("DefaultPolicy value 'missing'");
    }

    [Theory]
    [InlineData("AllowCredential", "did you mean 'AllowCredentials'")]
    [InlineData("Origin", "did you mean 'Origins'")]
    [InlineData("Headers", "Use one of")]
    public void Unknown_policy_setting_is_an_error_with_a_suggestion(string key, string expected)
    {
        var error = StartupErrorFor($$"""{ "CorsKit": { "Policies": { "web": { "Origins": [ "https://a.example" ], "{{key}}": true } } } }""");

        error.Message.Should().Contain($"policy 'web', {key}").And.Contain(expected);
    }

    [Fact]
    public void A_single_string_where_a_list_is_expected_is_named()
    {
        var error = StartupErrorFor("""{ "CorsKit": { "Policies": { "web": { "Origins": "https://a.example" } } } }""");

        error.Message.Should().Contain("policy 'web', Origins value 'https://a.example': A single value where a list is expected.")
            .And.Contain("in JSON \"Origins\": [ \"https://a.example\" ]; as an environment variable CorsKit__Policies__web__Origins__0=https://a.example");
    }

    [Fact]
    public void Unknown_top_level_setting_is_an_error()
    {
        var error = StartupErrorFor("""{ "CorsKit": { "DefaultPolicyName": "web", "Policies": { "web": { "Origins": [ "https://a.example" ] } } } }""");

        error.Message.Should().Contain("DefaultPolicyName").And.Contain("did you mean 'DefaultPolicy'");
    }
}
