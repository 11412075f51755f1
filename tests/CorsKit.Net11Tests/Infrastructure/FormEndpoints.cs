using System.Reflection;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Net11Tests.Infrastructure;

/// <summary>The form a comment endpoint binds.</summary>
public sealed class CommentForm
{
    public string? Text { get; set; }
}

/// <summary>An MVC action that processes a form and asks for CSRF protection, under the default policy.</summary>
[Route("mvc/comments")]
public sealed class CommentsController : Controller
{
    [HttpPost]
    [RequireAntiforgeryToken]
    public IActionResult Post(CommentForm form) => Content($"saved {form.Text}");
}

/// <summary>The same action under CorsKit's policy "partner".</summary>
[Route("mvc/partner/comments")]
[CorsKitPolicy("partner")]
public sealed class PartnerCommentsController : Controller
{
    [HttpPost]
    [RequireAntiforgeryToken]
    public IActionResult Post(CommentForm form) => Content($"saved {form.Text}");
}

/// <summary>The same action under Microsoft's policy "partner".</summary>
[Route("mvc/partner/comments")]
[EnableCors("partner")]
public sealed class MicrosoftPartnerCommentsController : Controller
{
    [HttpPost]
    [RequireAntiforgeryToken]
    public IActionResult Post(CommentForm form) => Content($"saved {form.Text}");
}

internal static class FormEndpoints
{
    /// <summary>A minimal-API endpoint that binds the form with [FromForm].</summary>
    public static RouteHandlerBuilder MapCommentForm(this IEndpointRouteBuilder endpoints, string path) =>
        endpoints.MapPost(path, ([FromForm] CommentForm form) => Results.Text($"saved {form.Text}"));

    /// <summary>MVC with views (which adds the antiforgery pieces) and only the given controllers of this assembly.</summary>
    public static IMvcBuilder AddControllersOnly(this IServiceCollection services, params Type[] controllers) =>
        services.AddControllersWithViews()
            .AddApplicationPart(typeof(FormEndpoints).Assembly)
            .ConfigureApplicationPartManager(parts => parts.FeatureProviders.Add(new OnlyControllers(controllers)));

    private sealed class OnlyControllers(Type[] controllers) : IApplicationFeatureProvider<ControllerFeature>
    {
        public void PopulateFeature(IEnumerable<ApplicationPart> parts, ControllerFeature feature)
        {
            feature.Controllers.Clear();
            foreach (var controller in controllers) feature.Controllers.Add(controller.GetTypeInfo());
        }
    }
}
