using System.Text.RegularExpressions;
using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static CorsKit.Tests.Infrastructure.ConfigValue;

namespace CorsKit.Tests;

/// <summary>
/// What the configuration providers hand CorsKit, and the cases the per-key shape corpus cannot express alone:
/// layered sources, duplicate keys, policy names in another case, and the documented environment-variable example.
/// </summary>
public sealed class ConfigurationProviderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("corskit-providers-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly ObjectValue App = ShapeCorpus.Config(ShapeCorpus.AppPolicy);

    private IConfigurationSection Section(string json)
    {
        var file = Path.Combine(_directory, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json);
        return new ConfigurationBuilder().AddJsonFile(file).Build().GetSection("K");
    }

    private static (string? Value, int Children) Read(IConfigurationSection section) => (section.Value, section.GetChildren().Count());

    // The facts ConfigurationReader is written from (docs/configuration.md, "What the providers hand over").
    [Theory]
    [InlineData("[]", "", 0)]
    [InlineData("\"\"", "", 0)]
    [InlineData("null", null, 0)]
    [InlineData("{}", null, 0)]
    [InlineData("[ \"a\" ]", null, 1)]
    [InlineData("true", "True", 0)]
    public void The_json_provider_gives_empty_arrays_as_an_empty_value_and_null_or_empty_objects_as_no_value(string json, string? value, int children) =>
        Read(Section($$"""{ "K": {{json}} }""")).Should().Be((value, children));

    [Fact]
    public void An_environment_variable_set_to_nothing_and_an_empty_command_line_value_arrive_as_an_empty_value()
    {
        var name = $"CKFACT{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(name + "K", string.Empty);
        try
        {
            Read(new ConfigurationBuilder().AddEnvironmentVariables(name).Build().GetSection("K")).Should().Be((string.Empty, 0));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name + "K", null);
        }

        Read(new ConfigurationBuilder().AddCommandLine(["--K="]).Build().GetSection("K")).Should().Be((string.Empty, 0));
    }

    [Fact]
    public void The_command_line_provider_keeps_double_underscores_so_only_environment_variables_use_them()
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(["--A__0=x", "--B:0=y"]).Build();

        configuration["A__0"].Should().Be("x");
        configuration.GetSection("A").GetChildren().Should().BeEmpty();
        configuration["B:0"].Should().Be("y");
    }

    [Fact]
    public void A_json_empty_array_that_another_source_adds_entries_to_has_both_an_empty_value_and_children()
    {
        var file = Path.Combine(_directory, "layered.json");
        File.WriteAllText(file, """{ "K": [] }""");
        var configuration = new ConfigurationBuilder().AddJsonFile(file).AddCommandLine(["--K:0=x"]).Build();

        Read(configuration.GetSection("K")).Should().Be((string.Empty, 1));
    }

    private async Task ShouldBehaveAsAsync(Action<ConfigurationManager> sources, OptionsInCode code, Action<CorsKitOptions>? alsoInCode = null)
    {
        var configuration = new ConfigurationManager();
        sources(configuration);
        var outcome = await CorsKitAnswers.StartAsync(services =>
        {
            services.AddCorsKit(configuration.GetSection("CorsKit"));
            if (alsoInCode is not null) services.AddCorsKit(alsoInCode);
        });
        await ShapeCorpus.ShouldBehaveAsAsync(outcome, code, new ProviderInput(Provider.JsonFile, Object()));
    }

    [Fact]
    public Task An_empty_array_in_appsettings_json_takes_entries_from_environment_variables() =>
        ShouldBehaveAsAsync(c =>
        {
            new ProviderInput(Provider.JsonFile, App.With(["CorsKit", "Policies", "web", "Methods"], EmptyList)).AddTo(c, _directory);
            new ProviderInput(Provider.EnvironmentVariables, Object(), ["CorsKit__Policies__web__Methods__0=PUT"]).AddTo(c, _directory);
        }, new OptionsInCode(PolicyInCode.App with { Methods = ["PUT"] }));

    [Fact]
    public Task An_environment_variable_that_overrides_an_entry_with_a_value_already_listed_leaves_one_entry() =>
        ShouldBehaveAsAsync(c =>
        {
            new ProviderInput(Provider.JsonFile, App.With(["CorsKit", "Policies", "web", "Methods"], List("PUT", "DELETE"))).AddTo(c, _directory);
            new ProviderInput(Provider.EnvironmentVariables, Object(), ["CorsKit__Policies__web__Methods__0=DELETE"]).AddTo(c, _directory);
        }, new OptionsInCode(PolicyInCode.App with { Methods = ["DELETE"] }));

    [Fact]
    public Task A_policy_named_in_another_case_by_an_environment_variable_is_the_same_policy() =>
        ShouldBehaveAsAsync(c =>
        {
            new ProviderInput(Provider.JsonFile, App).AddTo(c, _directory);
            new ProviderInput(Provider.EnvironmentVariables, Object(), ["CORSKIT__POLICIES__WEB__METHODS__0=PUT"]).AddTo(c, _directory);
        }, new OptionsInCode(PolicyInCode.App with { Methods = ["PUT"] }));

    [Fact]
    public Task A_policy_named_in_another_case_in_code_and_in_configuration_is_one_policy() =>
        ShouldBehaveAsAsync(
            c => new ProviderInput(Provider.JsonFile, App.With(["CorsKit", "Policies", "web"], null).With(["CorsKit", "Policies", "WEB"], ShapeCorpus.AppPolicy)).AddTo(c, _directory),
            new OptionsInCode(PolicyInCode.App with { Methods = ["PUT"] }),
            o => o.AddPolicy("Web", p => p.AllowMethods("PUT")));

    [Fact]
    public Task The_last_of_two_command_line_arguments_for_one_key_wins() =>
        ShouldBehaveAsAsync(
            c => new ProviderInput(Provider.CommandLine, App, ["--CorsKit:Policies:web:MaxAgeSeconds=60", "--corskit:policies:web:maxageseconds=600"]).AddTo(c, _directory),
            new OptionsInCode(PolicyInCode.App with { MaxAgeSeconds = 600 }));

    [Fact]
    public Task Environment_variables_that_differ_only_in_case_are_one_key() =>
        ShouldBehaveAsAsync(
            c => new ProviderInput(Provider.EnvironmentVariables, App, ["CorsKit__Policies__web__Methods__0=PUT", "corskit__policies__web__methods__0=PUT"]).AddTo(c, _directory),
            new OptionsInCode(PolicyInCode.App with { Methods = ["PUT"] }));

    [Theory]
    [InlineData("""{ "CorsKit": { "Policies": { "web": { "Origins": [ "https://a.example" ], "Origins": [ "https://b.example" ] } } } }""", "CorsKit:Policies:web:Origins:0")]
    [InlineData("""{ "CorsKit": { "Policies": { "web": { "Origins": [ "https://a.example" ], "AllowCredentials": true, "allowCredentials": false } } } }""", "CorsKit:Policies:web:allowCredentials")]
    public void A_duplicate_key_in_appsettings_json_stops_the_start_naming_the_key(string json, string key)
    {
        var file = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(file, json);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();

        var start = () => builder.Configuration.AddJsonFile(file, optional: false, reloadOnChange: false);

        start.Should().Throw<InvalidDataException>().WithMessage($"*{file}*")
            .WithInnerException<FormatException>().WithMessage($"A duplicate key '{key}' was found.");
    }

    [Fact]
    public void An_in_memory_dictionary_with_a_key_in_two_cases_stops_the_start_naming_the_key()
    {
        var start = () => new ConfigurationManager().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CorsKit:DefaultPolicy"] = "web",
            ["corskit:defaultpolicy"] = "web",
        });

        start.Should().Throw<ArgumentException>().WithMessage("*corskit:defaultpolicy*");
    }

    private static async Task<HttpResponseMessage> GetAsync(WebApplication app, string path) => await app.SendAsync(HttpMethod.Get, path, ("Origin", "https://app.example.com"));

    [Fact]
    public async Task UseCorsKit_endpoints_and_the_explainer_find_a_policy_by_its_name_in_another_case()
    {
        await using var app = await Host.StartAsync(
            b => b.Services.AddCorsKit(o => o.AddPolicy("web", p => p.AllowOrigins("https://app.example.com"))),
            a =>
            {
                a.UseRouting();
                a.UseCorsKit("WEB");
                a.MapGet("/pipeline", () => "ok");
                a.MapGet("/endpoint", () => "ok").RequireCorsKit("Web");
            });

        (await GetAsync(app, "/pipeline")).Single("Access-Control-Allow-Origin").Should().Be("https://app.example.com");
        (await GetAsync(app, "/endpoint")).Single("Access-Control-Allow-Origin").Should().Be("https://app.example.com");
        var explanation = app.Services.GetRequiredService<ICorsKitExplainer>().Explain("wEb", new CorsKitRequestFacts { Origin = "https://app.example.com" });
        explanation.Allowed.Should().BeTrue();
        explanation.PolicyName.Should().Be("web");
    }

    [Fact]
    public void A_list_written_as_one_value_with_commas_is_refused_with_each_entry_in_each_provider_form()
    {
        var configuration = new ConfigurationManager();
        new ProviderInput(Provider.InMemory, App.With(["CorsKit", "Policies", "web", "Methods"], Text("PUT, DELETE"))).AddTo(configuration, _directory);

        var exception = Startup(configuration);

        exception.Message.Should().Be("""
            CorsKit configuration is invalid (1 error):
             - policy 'web', Methods value 'PUT, DELETE': A single value where a list is expected (CorsKit does not split values at commas). Fix: Write a list, one entry per value: in JSON "Methods": [ "PUT", "DELETE" ]; as environment variables CorsKit__Policies__web__Methods__0=PUT and CorsKit__Policies__web__Methods__1=DELETE; on the command line --CorsKit:Policies:web:Methods:0=PUT --CorsKit:Policies:web:Methods:1=DELETE.
            """.ReplaceLineEndings("\n").Replace("\n", Environment.NewLine, StringComparison.Ordinal));
    }

    private static CorsKitConfigurationException Startup(ConfigurationManager configuration)
    {
        var outcome = CorsKitAnswers.StartAsync(s => s.AddCorsKit(configuration.GetSection("CorsKit"))).GetAwaiter().GetResult();
        return outcome.Should().BeOfType<StartOutcome.Refused>().Subject.Exception;
    }

    private static string Docs(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CorsKit.sln"))) directory = directory.Parent;
        directory.Should().NotBeNull("the tests run inside the repository");
        return File.ReadAllText(Path.Combine(directory!.FullName, "docs", name));
    }

    private static string Block(string markdown, string language, string mustContain) =>
        Regex.Matches(markdown, $"```{language}\\n(?<body>.*?)```", RegexOptions.Singleline).Select(m => m.Groups["body"].Value).First(b => b.Contains(mustContain, StringComparison.Ordinal));

    [Fact]
    public async Task The_documented_environment_variables_mean_what_the_documented_appsettings_json_means()
    {
        var markdown = Docs("configuration.md").ReplaceLineEndings("\n");
        var json = Block(markdown, "json", "\"CorsKit\"");
        var variables = Block(markdown, "text", "CorsKit__DefaultPolicy=").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var file = Path.Combine(_directory, "appsettings.json");
        await File.WriteAllTextAsync(file, json);
        var fromJson = await CorsKitAnswers.StartAsync(s => s.AddCorsKit(new ConfigurationManager().AddJsonFile(file).Build().GetSection("CorsKit")));
        var environment = new ConfigurationManager();
        new ProviderInput(Provider.EnvironmentVariables, Object(), variables).AddTo(environment, _directory);
        var fromEnvironment = await CorsKitAnswers.StartAsync(s => s.AddCorsKit(environment.GetSection("CorsKit")));

        var answers = fromJson.Should().BeOfType<StartOutcome.Started>().Subject.Answers;
        answers.Should().Contain(a => a.StartsWith("GET https://pr-42.review.example.com: 200 Access-Control-Allow-Credentials=true Access-Control-Allow-Origin=https://pr-42.review.example.com", StringComparison.Ordinal));
        fromEnvironment.Should().BeOfType<StartOutcome.Started>().Which.Answers.Should().Equal(answers);
    }
}
