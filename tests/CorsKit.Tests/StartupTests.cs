using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Tests;

public sealed class StartupTests
{
    private static WebApplication NewApp(Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    [Fact]
    public async Task UseCorsKit_without_AddCorsKit_says_what_to_call()
    {
        await using var app = NewApp();

        var act = () => app.UseCorsKit();

        act.Should().Throw<InvalidOperationException>().WithMessage("*builder.Services.AddCorsKit(*");
    }

    [Fact]
    public async Task UseCorsKit_with_an_unknown_policy_name_fails_at_start_up_naming_the_known_ones()
    {
        await using var app = NewApp(s => s.AddCorsKit(o => o.AddPolicy("web", p => p.AllowOrigins("https://a.example"))));
        app.UseCorsKit("wbe");
        app.MapGet("/", () => "x");

        var act = () => app.StartAsync();

        (await act.Should().ThrowAsync<CorsKitConfigurationException>()).Which.Message.Should().Contain("'wbe'").And.Contain("'web'");
    }

    [Fact]
    public async Task Invalid_policy_in_code_fails_at_start_up()
    {
        await using var app = NewApp(s => s.AddCorsKit(o => o.AddDefaultPolicy(p => p.AllowOrigins("https://a.example/"))));
        app.UseCorsKit();

        var act = () => app.StartAsync();

        (await act.Should().ThrowAsync<CorsKitConfigurationException>()).Which.Message
            .Should().Contain("policy 'default', Origins value 'https://a.example/'").And.Contain("trailing slash");
    }
}
