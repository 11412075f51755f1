using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace CorsKit.Demo;

/// <summary>
/// An MVC controller with its own CorsKit policy, "reports" (appsettings.json): the allowed page may read it, and
/// script sees X-Report-Id but not X-Total-Count, the header the API's default policy exposes.
/// </summary>
[ApiController]
[Route("api/reports")]
[CorsKitPolicy("reports")]
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "MVC only discovers public controllers.")]
public sealed class ReportsController : ControllerBase
{
    private static int s_lastId;

    // (6) on the demo page.
    [HttpGet]
    public IActionResult List()
    {
        string[] reports = ["weekly sales", "open orders"];
        Response.Headers["X-Report-Id"] = NextId();
        Response.Headers["X-Total-Count"] = reports.Length.ToString(CultureInfo.InvariantCulture);
        return Ok(reports);
    }

    /// <summary>
    /// (7) on the demo page. The action's policy beats the controller's. "reports" allows no request headers, so the browser's preflight for
    /// this JSON POST (Content-Type: application/json) would be refused; "frontend" allows content-type.
    /// </summary>
    [HttpPost]
    [CorsKitPolicy("frontend")]
    public IActionResult Create(NewReport report)
    {
        var id = NextId();
        return Created($"/api/reports/{id}", new { id, report.Title, policy = "frontend (the action's attribute beats the controller's)" });
    }

    private static string NextId() => string.Create(CultureInfo.InvariantCulture, $"r-{Interlocked.Increment(ref s_lastId)}");
}

/// <summary>The body of <c>POST /api/reports</c>.</summary>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "A public action's parameter type.")]
public sealed record NewReport(string Title);
