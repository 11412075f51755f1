using System.Net.Sockets;
using CorsKit;
using CorsKit.Demo;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

// Three Kestrel listeners in one process, all on 127.0.0.1: the API (behind CorsKit), a front end whose origin the
// API allows, and a front end whose origin it does not. Each is its own WebApplication, so each origin has its own
// pipeline and only the API runs CorsKit.
try
{
    var ports = DemoPorts.Read(args);

    await using var api = ApiApp.Build(args, ports);
    var apiLog = api.Services.GetRequiredService<RequestLog>();
    await using var allowed = FrontEndApp.Build(ports.Allowed, allowed: true, ports, apiLog);
    await using var refused = FrontEndApp.Build(ports.Refused, allowed: false, ports, apiLog);

    await StartAsync(api, "API", "--api-port", ports.Api);
    await StartAsync(allowed, "allowed front end", "--allowed-port", ports.Allowed);
    await StartAsync(refused, "refused front end", "--refused-port", ports.Refused);

    Console.WriteLine($"""

        CorsKit demo
          API (CorsKit policy from appsettings.json): {ports.ApiOrigin}
          Open {ports.AllowedOrigin} in a browser (allowed origin)
          Open {ports.RefusedOrigin} in a browser (refused origin)
        CorsKit's decisions are logged below. Press Ctrl+C to stop.

        """);

    // Ctrl+C stops all three (each host listens for it); wait until they have.
    await Task.WhenAll(api.WaitForShutdownAsync(), allowed.WaitForShutdownAsync(), refused.WaitForShutdownAsync());
    return 0;
}
catch (DemoStartupException ex)
{
    Console.Error.WriteLine($"CorsKit demo cannot start: {ex.Message}");
    return 1;
}
catch (Exception ex) when (ex is CorsKitConfigurationException or OptionsValidationException)
{
    // An invalid "CorsKit" section in appsettings.json: CorsKit lists every error with its fix.
    Console.Error.WriteLine($"CorsKit demo cannot start: {ex.Message}");
    return 1;
}

static async Task StartAsync(WebApplication app, string role, string option, int port)
{
    try
    {
        await app.StartAsync();
    }
    catch (IOException ex) when (ex.InnerException is AddressInUseException or SocketException)
    {
        throw new DemoStartupException(
            $"Port {port} ({role}) on 127.0.0.1 is already in use. Stop what uses it, or choose another port with {option} <port>.");
    }
}
