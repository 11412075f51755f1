using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>A request value escaped only when a log line is actually written.</summary>
internal readonly struct LoggedValue
{
    private readonly StringValues _values;

    public LoggedValue(StringValues values) => _values = values;

    public override string ToString() => SafeLog.Value(_values);
}
