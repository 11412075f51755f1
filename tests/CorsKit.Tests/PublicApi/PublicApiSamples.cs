#pragma warning disable CA1711, CA1720, CA1003, CA1028, CA1030, CA1034, CA1051, CA1716, CA1815, CA2225, CA2227, IDE0060, CS0067
// Declarations whose rendering PublicApiWriterTests checks; they exist only to be described.

namespace CorsKit.Tests.PublicApi.Samples;

public sealed class Widget
{
    public const string DefaultName = "w\"1";

    public Widget(string name, int size = 3, Shade shade = Shade.Dark)
    {
        Name = name;
        Size = size + (int)shade;
    }

    public string Name { get; init; }

    public string? Label { get; set; }

    public int Size { get; private set; }

    public IReadOnlyList<string?> Tags { get; } = [];

    public Dictionary<string, List<int>?>? Index { get; set; }

    public event EventHandler<EventArgs>? Changed;

    public Widget With(params string[] tags) => this;

    public TValue? Find<TValue>(string key, TValue? fallback = default) where TValue : class, IComparable<TValue>, new() => fallback;

    [Obsolete("Use With.")]
    public void Old(ref int count, out long total, in TimeSpan? wait)
    {
        total = count;
    }

    internal void Hidden()
    {
    }
}

public abstract class Shape : IEquatable<Shape>
{
    protected Shape()
    {
    }

    protected int Corners { get; set; }

    public abstract double Area();

    public virtual bool Equals(Shape? other) => other is not null;

    public override bool Equals(object? obj) => Equals(obj as Shape);

    public override int GetHashCode() => Corners;

    public static bool operator ==(Shape? left, Shape? right) => Equals(left, right);

    public static bool operator !=(Shape? left, Shape? right) => !Equals(left, right);
}

[Flags]
public enum Shade : byte
{
    None = 0,
    Light = 1,
    Dark = 2,
}

public interface ISource<out T>
{
    T? Next(CancellationToken cancellationToken = default);
}

public static class WidgetExtensions
{
    public static TWidget Paint<TWidget>(this TWidget widget, Shade shade = Shade.Light | Shade.Dark) where TWidget : struct => widget;
}

public delegate bool Check<in T>(T value, string? reason);

public sealed record Point(int X, int Y);

public readonly struct Size
{
    public int Width { get; init; }
}

[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class TagAttribute(string name) : Attribute, ISource<string>
{
    public string Name { get; } = name;

    public string? Next(CancellationToken cancellationToken = default) => null;
}
