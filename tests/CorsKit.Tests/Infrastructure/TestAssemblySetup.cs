using System.Runtime.CompilerServices;

namespace CorsKit.Tests.Infrastructure;

internal static class TestAssemblySetup
{
    /// <summary>
    /// Hundreds of in-memory hosts start in this assembly; without this each would watch appsettings.json and the
    /// machine's inotify limit (128 instances) runs out. Tests that exercise reload set up their own watcher.
    /// </summary>
    [ModuleInitializer]
    internal static void DisableHostConfigurationReload() =>
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
