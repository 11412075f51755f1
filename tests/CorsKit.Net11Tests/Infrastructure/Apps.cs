using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors;
using Microsoft.Extensions.DependencyInjection;

using CorsKit.Tests.Infrastructure;

namespace CorsKit.Net11Tests.Infrastructure;

/// <summary>
/// The apps the tests post forms to: the same policies and endpoints written with CorsKit and with Microsoft's CORS.
/// </summary>
internal static class Apps
{
    public const string AppOrigin = "http://app.localhost:3000";
    public const string TenantOrigin = "http://eu.tenants.localhost:3000";
    public const string PartnerOrigin = "http://partner.localhost:4000";
    public const string PublicOrigin = "http://public.localhost:5000";
    public const string InlineOrigin = "http://inline.localhost:6000";
    public const string UnlistedOrigin = "http://evil.localhost:3000";

    /// <summary>
    /// CorsKit: a credentialed default policy (an exact origin and a subdomain pattern), a credentialed "partner",
    /// "public" without credentials, "open" for any origin; endpoints for each, an inline one and a disabled one, and
    /// two MVC actions. <paramref name="pipelinePolicy"/>: the name given to UseCorsKit.
    /// </summary>
    public static Task<KestrelApp> CorsKitAsync(string? pipelinePolicy = null, Action<WebApplicationBuilder>? alsoBuilder = null, LogCollector? logs = null) =>
        KestrelApp.StartAsync(
            builder =>
            {
                alsoBuilder?.Invoke(builder);
                builder.Services.AddControllersOnly(typeof(CommentsController), typeof(PartnerCommentsController));
                builder.Services.AddCorsKit(options =>
                {
                    options.AddDefaultPolicy(p => p.AllowOrigins(AppOrigin, "http://*.tenants.localhost:3000").AllowCredentials());
                    options.AddPolicy("partner", p => p.AllowOrigins(PartnerOrigin).AllowCredentials());
                    options.AddPolicy("public", p => p.AllowOrigins(PublicOrigin));
                    options.AddPolicy("open", p => p.AllowAnyOrigin());
                });
            },
            app =>
            {
                app.UseRouting();
                if (pipelinePolicy is null) app.UseCorsKit();
                else app.UseCorsKit(pipelinePolicy);
                app.MapCommentForm("/comments");
                app.MapCommentForm("/partner/comments").RequireCorsKit("partner");
                app.MapCommentForm("/inline/comments").RequireCorsKit(p => p.AllowOrigins(InlineOrigin).AllowCredentials());
                app.MapCommentForm("/public/comments").RequireCorsKit("public");
                app.MapCommentForm("/open/comments").RequireCorsKit("open");
                app.MapCommentForm("/internal/comments").DisableCorsKit();
                app.MapControllers();
            },
            logs);

    /// <summary>The same app with Microsoft's CORS middleware and policies.</summary>
    public static Task<KestrelApp> MicrosoftAsync(string? pipelinePolicy = null) =>
        KestrelApp.StartAsync(
            builder =>
            {
                builder.Services.AddControllersOnly(typeof(CommentsController), typeof(MicrosoftPartnerCommentsController));
                builder.Services.AddCors(options =>
                {
                    options.AddDefaultPolicy(p => p.WithOrigins(AppOrigin, "http://*.tenants.localhost:3000").SetIsOriginAllowedToAllowWildcardSubdomains().AllowCredentials());
                    options.AddPolicy("partner", p => p.WithOrigins(PartnerOrigin).AllowCredentials());
                    options.AddPolicy("public", p => p.WithOrigins(PublicOrigin));
                    options.AddPolicy("open", p => p.AllowAnyOrigin());
                });
            },
            app =>
            {
                app.UseRouting();
                if (pipelinePolicy is null) app.UseCors();
                else app.UseCors(pipelinePolicy);
                app.MapCommentForm("/comments");
                app.MapCommentForm("/partner/comments").RequireCors("partner");
                app.MapCommentForm("/inline/comments").RequireCors(p => p.WithOrigins(InlineOrigin).AllowCredentials());
                app.MapCommentForm("/public/comments").RequireCors("public");
                app.MapCommentForm("/open/comments").RequireCors("open");
                app.MapCommentForm("/internal/comments").WithMetadata(new DisableCorsAttribute());
                app.MapControllers();
            });
}
