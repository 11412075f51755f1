using CorsKit.Tests.PublicApi.Samples;

namespace CorsKit.Tests.PublicApi;

/// <summary>The baseline is only as good as its rendering: these pin it on declarations written for the purpose.</summary>
public sealed class PublicApiWriterTests
{
    private const string Ns = "CorsKit.Tests.PublicApi.Samples.";

    private static IReadOnlyList<string> Describe(params Type[] types) => PublicApiWriter.Describe(types);

    [Fact]
    public void Class_members_carry_modifiers_nullability_defaults_generics_and_obsolete()
    {
        Describe(typeof(Widget)).Should().Equal(
            $"{Ns}Widget: public sealed class Widget",
            $"{Ns}Widget: public Widget(string name, int size = 3, {Ns}Shade shade = {Ns}Shade.Dark)",
            $"{Ns}Widget: public event System.EventHandler<System.EventArgs>? Changed",
            $"{Ns}Widget: public const string DefaultName = \"w\\\"1\"",
            $"{Ns}Widget: public TValue? Find<TValue>(string key, TValue? fallback = null) where TValue : class, System.IComparable<TValue>, new()",
            $"{Ns}Widget: public System.Collections.Generic.Dictionary<string, System.Collections.Generic.List<int>?>? Index {{ get; set; }}",
            $"{Ns}Widget: public string? Label {{ get; set; }}",
            $"{Ns}Widget: public string Name {{ get; init; }}",
            $"{Ns}Widget: [System.Obsolete(\"Use With.\")] public void Old(ref int count, out long total, in System.TimeSpan? wait)",
            $"{Ns}Widget: public int Size {{ get; }}",
            $"{Ns}Widget: public System.Collections.Generic.IReadOnlyList<string?> Tags {{ get; }}",
            $"{Ns}Widget: public {Ns}Widget With(params string[] tags)");
    }

    [Fact]
    public void Abstract_class_shows_protected_members_overrides_and_operators()
    {
        Describe(typeof(Shape)).Should().Equal(
            $"{Ns}Shape: public abstract class Shape : System.IEquatable<{Ns}Shape>",
            $"{Ns}Shape: protected Shape()",
            $"{Ns}Shape: public abstract double Area()",
            $"{Ns}Shape: protected int Corners {{ get; set; }}",
            $"{Ns}Shape: public override bool Equals(object? obj)",
            $"{Ns}Shape: public virtual bool Equals({Ns}Shape? other)",
            $"{Ns}Shape: public override int GetHashCode()",
            $"{Ns}Shape: public static bool operator ==({Ns}Shape? left, {Ns}Shape? right)",
            $"{Ns}Shape: public static bool operator !=({Ns}Shape? left, {Ns}Shape? right)");
    }

    [Fact]
    public void Enums_interfaces_delegates_extensions_records_and_structs_render_as_declared()
    {
        Describe(typeof(Shade), typeof(ISource<>), typeof(Check<>), typeof(WidgetExtensions), typeof(Point), typeof(Size)).Should().Equal(
            $"{Ns}Check<T>: public delegate bool Check<in T>(T value, string? reason)",
            $"{Ns}ISource<T>: public interface ISource<out T>",
            $"{Ns}ISource<T>: public T? Next(System.Threading.CancellationToken cancellationToken = default)",
            $"{Ns}Point: public sealed record Point : System.IEquatable<{Ns}Point>",
            $"{Ns}Point: public Point(int X, int Y)",
            $"{Ns}Point: public void Deconstruct(out int X, out int Y)",
            $"{Ns}Point: public bool Equals({Ns}Point? other)",
            $"{Ns}Point: public override bool Equals(object? obj)",
            $"{Ns}Point: public override int GetHashCode()",
            $"{Ns}Point: public override string ToString()",
            $"{Ns}Point: public int X {{ get; init; }}",
            $"{Ns}Point: public int Y {{ get; init; }}",
            $"{Ns}Point: public static bool operator ==({Ns}Point? left, {Ns}Point? right)",
            $"{Ns}Point: public static bool operator !=({Ns}Point? left, {Ns}Point? right)",
            $"{Ns}Shade: [System.Flags] public enum Shade : byte",
            $"{Ns}Shade: Dark = 2",
            $"{Ns}Shade: Light = 1",
            $"{Ns}Shade: None = 0",
            $"{Ns}Size: public readonly struct Size",
            $"{Ns}Size: public int Width {{ get; init; }}",
            $"{Ns}WidgetExtensions: public static class WidgetExtensions",
            $"{Ns}WidgetExtensions: public static TWidget Paint<TWidget>(this TWidget widget, {Ns}Shade shade = {Ns}Shade.Light | {Ns}Shade.Dark) where TWidget : struct");
    }

    [Fact]
    public void Attribute_classes_show_their_usage_base_and_interfaces()
    {
        Describe(typeof(TagAttribute)).Should().Equal(
            $"{Ns}TagAttribute: [System.AttributeUsage(System.AttributeTargets.Class | System.AttributeTargets.Method, AllowMultiple = true)] public sealed class TagAttribute : System.Attribute, {Ns}ISource<string>",
            $"{Ns}TagAttribute: public TagAttribute(string name)",
            $"{Ns}TagAttribute: public string Name {{ get; }}",
            $"{Ns}TagAttribute: public string? Next(System.Threading.CancellationToken cancellationToken = default)");
    }

    [Fact]
    public void Diff_marks_removed_and_added_lines_with_context()
    {
        string[] baseline = ["a", "b", "c", "d", "e", "f", "g", "h"];
        string[] current = ["a", "b", "c", "D", "e", "f", "g", "h", "i"];

        var diff = LineDiff.Unified(baseline, current, context: 1);

        diff.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Should().Equal(
            "@@ baseline line 3, current line 3 @@",
            "  c",
            "- d",
            "+ D",
            "  e",
            "@@ baseline line 8, current line 8 @@",
            "  h",
            "+ i");
    }
}
