using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// The API with CorsKit's debug mode on (<see cref="CorsKitOptions.DebugMode"/>), which is a setting of the whole app:
/// its own server, listening on <c>{debug}</c>, with the <c>guarded</c> and <c>public</c> policies of
/// <see cref="ApiServer"/> under the same paths, so a scenario here and on <c>{api}</c> differs only by the mode.
/// </summary>
internal static class DebugServer
{
    public static Task<KestrelHost> StartAsync(PortNames ports, RequestLog log) => KestrelHost.StartAsync(
        portCount: 1,
        configureServices: builder =>
        {
            var app = ports.Expand(ApiServer.AppOrigin);
            builder.Services.AddCorsKit(options =>
            {
                options.DebugMode = true;
                options.AddPolicy("guarded", policy => ApiServer.Guarded(policy, app));
                options.AddPolicy("public", ApiServer.Public);
            });
        },
        configurePipeline: app =>
        {
            ApiServer.UseRequestLog(app, log);
            app.UseWhen(context => context.Request.Path.StartsWithSegments("/guarded"), branch => branch.UseCorsKit("guarded"));
            app.UseWhen(context => context.Request.Path.StartsWithSegments("/public"), branch => branch.UseCorsKit("public"));
            ApiServer.MapEndpoints(app);
        });
}
