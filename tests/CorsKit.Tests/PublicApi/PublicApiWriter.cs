using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace CorsKit.Tests.PublicApi;

/// <summary>
/// Describes the public surface of an assembly, one line per type or member, in C#-like syntax: every type visible
/// outside the assembly and every public or protected member, with modifiers, full type names, nullability, generic
/// constraints, default values and the attributes that are part of the contract. Types are sorted by full name, each
/// followed by its members sorted by name, so a change shows up as a small, readable diff.
/// </summary>
internal static class PublicApiWriter
{
    private const BindingFlags DeclaredMembers =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Attributes that change how callers may use an API; every other attribute is left out.</summary>
    private static readonly HashSet<string> ContractAttributes = new(StringComparer.Ordinal)
    {
        "System.AttributeUsageAttribute",
        "System.CLSCompliantAttribute",
        "System.ComponentModel.EditorBrowsableAttribute",
        "System.Diagnostics.CodeAnalysis.ExperimentalAttribute",
        "System.Diagnostics.CodeAnalysis.RequiresDynamicCodeAttribute",
        "System.Diagnostics.CodeAnalysis.RequiresUnreferencedCodeAttribute",
        "System.FlagsAttribute",
        "System.ObsoleteAttribute",
    };

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(char)] = "char",
        [typeof(short)] = "short", [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint",
        [typeof(long)] = "long", [typeof(ulong)] = "ulong", [typeof(nint)] = "nint", [typeof(nuint)] = "nuint",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal",
        [typeof(object)] = "object", [typeof(string)] = "string", [typeof(void)] = "void",
    };

    public static IReadOnlyList<string> Describe(Assembly assembly) => Describe(assembly.GetExportedTypes());

    public static IReadOnlyList<string> Describe(IEnumerable<Type> types)
    {
        var nullability = new NullabilityInfoContext();
        var lines = new List<string>();
        foreach (var type in types.OrderBy(t => Name(t, null), StringComparer.Ordinal))
        {
            var prefix = Name(type, null) + ": ";
            lines.Add(prefix + DescribeType(type, nullability));
            if (type.BaseType == typeof(MulticastDelegate)) continue; // the declaration line is the whole contract

            var members = new List<(string Name, string Line)>();
            foreach (var member in type.GetMembers(DeclaredMembers))
            {
                var line = DescribeMember(member, nullability);
                if (line is not null) members.Add((member.Name, line));
            }

            members.Sort((a, b) =>
            {
                var byName = string.CompareOrdinal(a.Name, b.Name);
                return byName != 0 ? byName : string.CompareOrdinal(a.Line, b.Line);
            });
            foreach (var (_, line) in members) lines.Add(prefix + line);
        }

        return lines;
    }

    private static string DescribeType(Type type, NullabilityInfoContext nullability)
    {
        var text = new StringBuilder(Attributes(type.GetCustomAttributesData()));
        text.Append(type.IsNestedFamily || type.IsNestedFamORAssem ? "protected " : "public ");

        if (type.IsEnum)
        {
            var underlying = Enum.GetUnderlyingType(type);
            text.Append("enum ").Append(type.Name);
            if (underlying != typeof(int)) text.Append(" : ").Append(Name(underlying, null));
            return text.ToString();
        }

        if (type.BaseType == typeof(MulticastDelegate))
        {
            var invoke = type.GetMethod("Invoke")!;
            text.Append("delegate ").Append(TypeName(invoke.ReturnParameter, nullability))
                .Append(' ').Append(DeclaredName(type)).Append(Parameters(invoke, nullability)).Append(Constraints(type.GetGenericArguments()));
            return text.ToString();
        }

        var isRecord = type.GetMethod("<Clone>$", DeclaredMembers) is not null
            || (type.IsValueType && type.GetMethod("PrintMembers", DeclaredMembers) is not null);
        if (type.IsInterface) text.Append("interface ");
        else if (type.IsValueType)
        {
            if (type.IsDefined(typeof(IsReadOnlyAttribute), false)) text.Append("readonly ");
            if (type.IsByRefLike) text.Append("ref ");
            text.Append(isRecord ? "record struct " : "struct ");
        }
        else
        {
            if (type.IsAbstract && type.IsSealed) text.Append("static ");
            else if (type.IsAbstract) text.Append("abstract ");
            else if (type.IsSealed) text.Append("sealed ");
            text.Append(isRecord ? "record " : "class ");
        }

        text.Append(DeclaredName(type));

        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType))
        {
            bases.Add(Name(baseType, null));
        }

        var inherited = type.BaseType?.GetInterfaces() ?? [];
        var interfaces = type.GetInterfaces()
            .Where(i => !inherited.Contains(i) && (i.IsPublic || i.IsNestedPublic))
            .Select(i => Name(i, null))
            .Order(StringComparer.Ordinal);
        bases.AddRange(interfaces);
        if (bases.Count > 0) text.Append(" : ").AppendJoin(", ", bases);
        text.Append(Constraints(type.GetGenericArguments()));
        return text.ToString();
    }

    private static string? DescribeMember(MemberInfo member, NullabilityInfoContext nullability)
    {
        if (member.Name.Contains('<', StringComparison.Ordinal)) return null; // compiler-generated (<Clone>$, ...)

        return member switch
        {
            FieldInfo field when field.DeclaringType!.IsEnum =>
                field.IsStatic ? $"{field.Name} = {Convert.ToString(field.GetRawConstantValue(), CultureInfo.InvariantCulture)}" : null,
            FieldInfo field when IsVisible(field.IsPublic, field.IsFamily, field.IsFamilyOrAssembly) => DescribeField(field, nullability),
            ConstructorInfo constructor when !constructor.IsStatic && IsVisible(constructor) =>
                Attributes(constructor.GetCustomAttributesData()) + Access(constructor) + DeclaredName(constructor.DeclaringType!, withTypeParameters: false) + Parameters(constructor, nullability),
            MethodInfo method when !method.IsSpecialName && IsVisible(method) => DescribeMethod(method, nullability),
            MethodInfo method when method.IsSpecialName && method.Name.StartsWith("op_", StringComparison.Ordinal) && IsVisible(method) =>
                DescribeMethod(method, nullability),
            PropertyInfo property => DescribeProperty(property, nullability),
            EventInfo @event => DescribeEvent(@event, nullability),
            Type nested when nested.IsNestedFamily || nested.IsNestedFamORAssem =>
                "protected nested type " + nested.Name, // listed in full only when public (GetExportedTypes)
            _ => null,
        };
    }

    private static string DescribeField(FieldInfo field, NullabilityInfoContext nullability)
    {
        var text = new StringBuilder(Attributes(field.GetCustomAttributesData()));
        text.Append(field.IsPublic ? "public " : "protected ");
        if (field.IsLiteral) text.Append("const ");
        else
        {
            if (field.IsStatic) text.Append("static ");
            if (field.IsInitOnly) text.Append("readonly ");
        }

        text.Append(TypeName(field, nullability)).Append(' ').Append(field.Name);
        if (field.IsLiteral) text.Append(" = ").Append(Literal(field.GetRawConstantValue(), field.FieldType));
        return text.ToString();
    }

    private static string DescribeMethod(MethodInfo method, NullabilityInfoContext nullability)
    {
        var text = new StringBuilder(Attributes(method.GetCustomAttributesData()));
        text.Append(Access(method)).Append(Modifiers(method));
        var returnType = TypeName(method.ReturnParameter, nullability);
        var name = method.Name switch
        {
            "op_Implicit" => "implicit operator " + returnType,
            "op_Explicit" => "explicit operator " + returnType,
            _ when method.IsSpecialName => returnType + " operator " + OperatorSymbol(method.Name),
            _ => returnType + " " + method.Name,
        };
        text.Append(name);
        if (method.IsGenericMethodDefinition)
        {
            text.Append('<').AppendJoin(", ", method.GetGenericArguments().Select(a => a.Name)).Append('>');
        }

        text.Append(Parameters(method, nullability));
        if (method.IsGenericMethodDefinition) text.Append(Constraints(method.GetGenericArguments()));
        return text.ToString();
    }

    private static string? DescribeProperty(PropertyInfo property, NullabilityInfoContext nullability)
    {
        var getter = property.GetMethod is { } g && IsVisible(g) ? g : null;
        var setter = property.SetMethod is { } s && IsVisible(s) ? s : null;
        var main = getter ?? setter;
        if (main is null) return null;

        var text = new StringBuilder(Attributes(property.GetCustomAttributesData()));
        // The property is as visible as its most visible accessor; an accessor less visible than that says so.
        var access = getter?.IsPublic == true || setter?.IsPublic == true ? "public " : "protected ";
        text.Append(access).Append(Modifiers(main));
        if (property.IsDefined(typeof(RequiredMemberAttribute), false)) text.Append("required ");
        text.Append(TypeName(property, nullability)).Append(' ');

        var indexParameters = property.GetIndexParameters();
        if (indexParameters.Length > 0)
        {
            text.Append("this[").AppendJoin(", ", indexParameters.Select(p => Parameter(p, nullability, isExtension: false))).Append(']');
        }
        else
        {
            text.Append(property.Name);
        }

        text.Append(" {");
        if (getter is not null) text.Append(' ').Append(Access(getter) == access ? string.Empty : Access(getter)).Append("get;");
        if (setter is not null)
        {
            var isInit = setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
            text.Append(' ').Append(Access(setter) == access ? string.Empty : Access(setter)).Append(isInit ? "init;" : "set;");
        }

        return text.Append(" }").ToString();
    }

    private static string? DescribeEvent(EventInfo @event, NullabilityInfoContext nullability)
    {
        var adder = @event.AddMethod;
        if (adder is null || !IsVisible(adder)) return null;
        return Attributes(@event.GetCustomAttributesData()) + Access(adder) + Modifiers(adder) + "event "
            + Name(@event.EventHandlerType!, nullability.Create(@event)) + " " + @event.Name;
    }

    private static bool IsVisible(MethodBase method) => IsVisible(method.IsPublic, method.IsFamily, method.IsFamilyOrAssembly);

    private static bool IsVisible(bool isPublic, bool isFamily, bool isFamilyOrAssembly) => isPublic || isFamily || isFamilyOrAssembly;

    private static string Access(MethodBase method) => method.IsPublic ? "public " : "protected ";

    private static string Modifiers(MethodInfo method)
    {
        var declaringType = method.DeclaringType!;
        if (declaringType.IsInterface)
        {
            if (method.IsStatic) return method.IsAbstract ? "static abstract " : "static ";
            return method.IsAbstract ? string.Empty : "virtual ";
        }

        if (method.IsStatic) return "static ";
        var isOverride = method.GetBaseDefinition().DeclaringType != declaringType;
        if (isOverride) return method.IsFinal ? "sealed override " : "override ";
        if (method.IsAbstract) return "abstract ";
        if (method.IsVirtual && !method.IsFinal) return "virtual ";
        return string.Empty;
    }

    private static string Parameters(MethodBase method, NullabilityInfoContext nullability)
    {
        var isExtension = method.IsDefined(typeof(ExtensionAttribute), false);
        var parameters = method.GetParameters();
        var text = new StringBuilder("(");
        for (var i = 0; i < parameters.Length; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(Parameter(parameters[i], nullability, isExtension && i == 0));
        }

        return text.Append(')').ToString();
    }

    private static string Parameter(ParameterInfo parameter, NullabilityInfoContext nullability, bool isExtension)
    {
        var text = new StringBuilder();
        if (isExtension) text.Append("this ");
        if (parameter.IsDefined(typeof(ParamArrayAttribute), false) || parameter.IsDefined(typeof(ParamCollectionAttribute), false))
        {
            text.Append("params ");
        }

        var type = parameter.ParameterType;
        if (type.IsByRef)
        {
            text.Append(parameter.IsOut ? "out " : parameter.IsIn ? "in " : "ref ");
        }

        text.Append(TypeName(parameter, nullability)).Append(' ').Append(parameter.Name);
        if (parameter.HasDefaultValue) text.Append(" = ").Append(Literal(parameter.RawDefaultValue, type));
        return text.ToString();
    }

    private static string Constraints(Type[] genericParameters)
    {
        var text = new StringBuilder();
        foreach (var parameter in genericParameters)
        {
            if (!parameter.IsGenericParameter) continue;
            var attributes = parameter.GenericParameterAttributes;
            var constraints = new List<string>();
            var isStruct = attributes.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint);
            if (isStruct) constraints.Add("struct");
            else if (attributes.HasFlag(GenericParameterAttributes.ReferenceTypeConstraint)) constraints.Add("class");
            constraints.AddRange(parameter.GetGenericParameterConstraints()
                .Where(c => !(isStruct && c == typeof(ValueType)))
                .Select(c => Name(c, null))
                .Order(StringComparer.Ordinal));
            if (!isStruct && attributes.HasFlag(GenericParameterAttributes.DefaultConstructorConstraint)) constraints.Add("new()");
            if (attributes.HasFlag(GenericParameterAttributes.AllowByRefLike)) constraints.Add("allows ref struct");
            if (constraints.Count > 0) text.Append(" where ").Append(parameter.Name).Append(" : ").AppendJoin(", ", constraints);
        }

        return text.ToString();
    }

    /// <summary>A type's own name with its type parameters (and their variance), as written in its declaration.</summary>
    private static string DeclaredName(Type type, bool withTypeParameters = true)
    {
        var name = StripArity(type.Name);
        if (!withTypeParameters || !type.IsGenericTypeDefinition) return name;
        var own = type.GetGenericArguments().Skip(type.DeclaringType?.GetGenericArguments().Length ?? 0).ToArray();
        if (own.Length == 0) return name;
        return name + "<" + string.Join(", ", own.Select(Variance)) + ">";

        static string Variance(Type parameter)
        {
            var variance = parameter.GenericParameterAttributes & GenericParameterAttributes.VarianceMask;
            return variance switch
            {
                GenericParameterAttributes.Covariant => "out " + parameter.Name,
                GenericParameterAttributes.Contravariant => "in " + parameter.Name,
                _ => parameter.Name,
            };
        }
    }

    private static string TypeName(ParameterInfo parameter, NullabilityInfoContext nullability) =>
        Name(parameter.ParameterType, nullability.Create(parameter), DeclaredNullable(parameter.GetCustomAttributesData(), parameter.Member));

    private static string TypeName(PropertyInfo property, NullabilityInfoContext nullability) =>
        Name(property.PropertyType, nullability.Create(property), DeclaredNullable(property.GetCustomAttributesData(), property.DeclaringType));

    private static string TypeName(FieldInfo field, NullabilityInfoContext nullability) =>
        Name(field.FieldType, nullability.Create(field), DeclaredNullable(field.GetCustomAttributesData(), field.DeclaringType));

    /// <summary>
    /// Whether the declaration writes <c>T?</c>, read from the compiler's nullable attributes. Needed for a bare type
    /// parameter: NullabilityInfoContext reports an unconstrained <c>T</c> as nullable (it may be instantiated with a
    /// nullable type), which would render <c>T</c> and <c>T?</c> alike.
    /// </summary>
    private static bool? DeclaredNullable(IList<CustomAttributeData> attributes, MemberInfo? context)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.AttributeType.FullName != "System.Runtime.CompilerServices.NullableAttribute") continue;
            var flags = attribute.ConstructorArguments[0].Value;
            var first = flags is IReadOnlyCollection<CustomAttributeTypedArgument> array ? array.First().Value : flags;
            return first is byte b ? b == 2 : null;
        }

        for (var member = context; member is not null; member = member.DeclaringType)
        {
            foreach (var attribute in member.GetCustomAttributesData())
            {
                if (attribute.AttributeType.FullName == "System.Runtime.CompilerServices.NullableContextAttribute")
                {
                    return attribute.ConstructorArguments[0].Value is byte b ? b == 2 : null;
                }
            }
        }

        return null;
    }

    /// <summary>A type's full C# name: keywords for built-in types, <c>?</c> where the metadata says nullable.</summary>
    private static string Name(Type type, NullabilityInfo? nullability, bool? declaredNullable = null)
    {
        if (type.IsByRef) return Name(type.GetElementType()!, nullability, declaredNullable);
        if (type.IsPointer) return Name(type.GetElementType()!, null) + "*";
        if (type.IsArray)
        {
            var element = Name(type.GetElementType()!, nullability?.ElementType);
            var rank = type.GetArrayRank();
            return element + "[" + new string(',', rank - 1) + "]" + NullableMark(type, nullability);
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying, nullability?.GenericTypeArguments.FirstOrDefault()) + "?";
        }

        if (type.IsGenericParameter)
        {
            return type.Name + (declaredNullable is { } declared && !type.IsValueType ? (declared ? "?" : string.Empty) : NullableMark(type, nullability));
        }

        if (Keywords.TryGetValue(type, out var keyword)) return keyword + NullableMark(type, nullability);

        var arguments = type.GetGenericArguments();
        var argumentNullability = nullability?.GenericTypeArguments;
        var used = 0;
        string QualifiedName(Type t)
        {
            var prefix = t.DeclaringType is { } outer ? QualifiedName(outer) + "." : (t.Namespace is null ? string.Empty : t.Namespace + ".");
            var own = t.IsGenericType ? t.GetGenericArguments().Length - (t.DeclaringType?.GetGenericArguments().Length ?? 0) : 0;
            var name = prefix + StripArity(t.Name);
            if (own <= 0) return name;
            var names = new List<string>();
            for (var i = 0; i < own; i++, used++)
            {
                var argumentInfo = argumentNullability is not null && used < argumentNullability.Length ? argumentNullability[used] : null;
                names.Add(Name(arguments[used], argumentInfo));
            }

            return name + "<" + string.Join(", ", names) + ">";
        }

        return QualifiedName(type.IsGenericType ? type.GetGenericTypeDefinition() : type) + NullableMark(type, nullability);
    }

    private static string NullableMark(Type type, NullabilityInfo? nullability) =>
        !type.IsValueType && nullability?.ReadState == NullabilityState.Nullable ? "?" : string.Empty;

    private static string StripArity(string name)
    {
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }

    private static string Attributes(IList<CustomAttributeData> attributes)
    {
        var rendered = attributes
            .Where(a => ContractAttributes.Contains(a.AttributeType.FullName!))
            .Select(Attribute)
            .Order(StringComparer.Ordinal)
            .ToList();
        return rendered.Count == 0 ? string.Empty : string.Concat(rendered.Select(r => "[" + r + "] "));
    }

    private static string Attribute(CustomAttributeData attribute)
    {
        var name = attribute.AttributeType.FullName!;
        name = name.EndsWith("Attribute", StringComparison.Ordinal) ? name[..^"Attribute".Length] : name;
        var arguments = attribute.ConstructorArguments.Select(a => Literal(a.Value, a.ArgumentType))
            .Concat(attribute.NamedArguments.Select(a => a.MemberName + " = " + Literal(a.TypedValue.Value, a.TypedValue.ArgumentType)))
            .ToList();
        return arguments.Count == 0 ? name : name + "(" + string.Join(", ", arguments) + ")";
    }

    private static string Literal(object? value, Type type)
    {
        if (type.IsByRef) type = type.GetElementType()!;
        switch (value)
        {
            case null:
                return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? "default" : "null";
            case string text:
                return "\"" + Escape(text) + "\"";
            case char c:
                return "'" + Escape(c.ToString()) + "'";
            case bool flag:
                return flag ? "true" : "false";
            case Type typeOf:
                return "typeof(" + Name(typeOf, null) + ")";
            case IReadOnlyCollection<CustomAttributeTypedArgument> items:
                return "new[] { " + string.Join(", ", items.Select(i => Literal(i.Value, i.ArgumentType))) + " }";
        }

        var enumType = Nullable.GetUnderlyingType(type) ?? type;
        if (enumType.IsEnum) return EnumLiteral(enumType, value);
        return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
    }

    private static string EnumLiteral(Type enumType, object rawValue)
    {
        var value = Enum.ToObject(enumType, rawValue);
        var typeName = Name(enumType, null);
        var names = value.ToString()!.Split(", ");
        if (names.Any(n => n.Length > 0 && (char.IsDigit(n[0]) || n[0] == '-')))
        {
            return "(" + typeName + ")" + Convert.ToString(rawValue, CultureInfo.InvariantCulture);
        }

        return string.Join(" | ", names.Select(n => typeName + "." + n));
    }

    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\'' => "\\'",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    private static string OperatorSymbol(string name) => name switch
    {
        "op_Equality" => "==", "op_Inequality" => "!=", "op_LessThan" => "<", "op_GreaterThan" => ">",
        "op_LessThanOrEqual" => "<=", "op_GreaterThanOrEqual" => ">=", "op_Addition" => "+", "op_Subtraction" => "-",
        "op_Multiply" => "*", "op_Division" => "/", "op_Modulus" => "%", "op_UnaryNegation" => "-",
        "op_UnaryPlus" => "+", "op_LogicalNot" => "!", "op_OnesComplement" => "~", "op_BitwiseAnd" => "&",
        "op_BitwiseOr" => "|", "op_ExclusiveOr" => "^", "op_True" => "true", "op_False" => "false",
        "op_Increment" => "++", "op_Decrement" => "--", "op_LeftShift" => "<<", "op_RightShift" => ">>",
        "op_UnsignedRightShift" => ">>>",
        _ => name,
    };
}
