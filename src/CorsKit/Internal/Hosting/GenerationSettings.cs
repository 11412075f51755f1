namespace CorsKit.Internal;

/// <summary>Settings that apply to every policy of one <see cref="PolicyGeneration"/>, passed down to each request.</summary>
internal sealed record GenerationSettings(bool DebugMode, Microsoft.Extensions.Logging.LogLevel RefusalLogLevel);
