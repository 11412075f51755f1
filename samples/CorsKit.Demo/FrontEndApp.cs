namespace CorsKit.Demo;

/// <summary>
/// A front end: serves the demo page from its own origin. Both front ends serve the same page; only their origin
/// differs, and with it the API's answer.
/// </summary>
internal static class FrontEndApp
{
    public static WebApplication Build(int port, bool allowed, DemoPorts ports, RequestLog apiLog)
    {
        var app = DemoHost.CreateBuilder([], port).Build();

        var page = LoadPage()
            .Replace("{{API_ORIGIN}}", ports.ApiOrigin, StringComparison.Ordinal)
            .Replace("{{ROLE}}", allowed ? "allowed" : "refused", StringComparison.Ordinal);
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));

        // Same-origin for the page, so no CORS involved: what the API received, including requests whose responses
        // the browser hid from script.
        app.MapGet("/api-log", () => apiLog.Snapshot());
        return app;
    }

    private static string LoadPage()
    {
        using var stream = typeof(FrontEndApp).Assembly.GetManifestResourceStream("page.html")
            ?? throw new InvalidOperationException("page.html is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
