using System.Net;

namespace CorsKit.Demo;

/// <summary>What the API and the front ends share: a builder listening on one port of 127.0.0.1.</summary>
internal static class DemoHost
{
    public static WebApplicationBuilder CreateBuilder(string[] args, int port)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json is copied next to the binary; this finds it whatever the working directory.
            ContentRootPath = AppContext.BaseDirectory,
            // MVC looks for controllers in this assembly. It defaults to the entry assembly, which is not the demo's
            // when a test hosts the API.
            ApplicationName = typeof(DemoHost).Assembly.GetName().Name,
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));

        // Program.cs reports a port that is in use in one line; the host would log it again with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        return builder;
    }
}
