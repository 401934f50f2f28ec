using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Conman.Tests;

/// <summary>
/// An assembly's public API as text: every public or protected type and member, one a line, with
/// its signature as C# writes it (nullable references, tuple names and defaults included), each
/// member named with its type so that a line reads on its own, sorted by that name. Attributes and
/// generic constraints are left out.
/// </summary>
internal static class PublicApi
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static IReadOnlyList<string> Render(Assembly assembly) =>
        assembly.GetExportedTypes()
            .SelectMany(type => new[] { (Key: FullName(type), Line: Declaration(type)) }.Concat(Members(type)))
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .ThenBy(entry => entry.Line, StringComparer.Ordinal)
            .Select(entry => entry.Line)
            .ToList();

    private static string Declaration(Type type)
    {
        string kind = type switch
        {
            { IsInterface: true } => "interface",
            { IsEnum: true } => "enum",
            _ when type.IsSubclassOf(typeof(MulticastDelegate)) => "delegate",
            { IsValueType: true } => (type.IsDefined(typeof(IsReadOnlyAttribute)) ? "readonly " : "") + (IsRecord(type) ? "record struct" : "struct"),
            { IsAbstract: true, IsSealed: true } => "static class",
            _ => (type.IsAbstract ? "abstract " : type.IsSealed ? "sealed " : "") + (IsRecord(type) ? "record" : "class"),
        };
        if (kind == "delegate")
        {
            var invoke = type.GetMethod("Invoke")!;
            return $"public delegate {TypeName(invoke.ReturnParameter)} {FullName(type)}({Parameters(invoke)})";
        }
        var bases = new List<string>();
        if (type.IsEnum && Enum.GetUnderlyingType(type) != typeof(int)) bases.Add(TypeName(Enum.GetUnderlyingType(type)));
        if (type.IsClass && type.BaseType != typeof(object)) bases.Add(TypeName(type.BaseType!));
        var inherited = type.BaseType?.GetInterfaces() ?? [];
        bases.AddRange(type.GetInterfaces().Except(inherited).Select(i => TypeName(i)).Order(StringComparer.Ordinal));
        return $"public {kind} {FullName(type)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}";
    }

    /// <summary>Records have a compiler-made clone method (classes) or PrintMembers (structs).</summary>
    private static bool IsRecord(Type type) =>
        type.GetMethod("<Clone>$") is not null ||
        (type.IsValueType && type.GetMethod("PrintMembers", Declared) is { } print && print.IsDefined(typeof(CompilerGeneratedAttribute)));

    private static IEnumerable<(string Key, string Line)> Members(Type type)
    {
        string owner = FullName(type);
        if (type.IsEnum)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                yield return ($"{owner}.{field.Name}", $"{owner}.{field.Name} = {Convert.ToString(field.GetRawConstantValue(), CultureInfo.InvariantCulture)}");
            }
            yield break;
        }
        if (type.IsSubclassOf(typeof(MulticastDelegate))) yield break;
        foreach (var constructor in type.GetConstructors(Declared).Where(IsVisible))
        {
            yield return ($"{owner}({Parameters(constructor)})", $"{Access(constructor)} {owner}({Parameters(constructor)})");
        }
        foreach (var method in type.GetMethods(Declared).Where(m => IsVisible(m) && !m.Name.Contains('<') && (!m.IsSpecialName || m.Name.StartsWith("op_"))))
        {
            string name = $"{owner}.{method.Name}{(method.IsGenericMethod ? $"<{string.Join(", ", method.GetGenericArguments().Select(a => a.Name))}>" : "")}";
            yield return ($"{name}({Parameters(method)})", $"{Modifiers(method, type)}{TypeName(method.ReturnParameter)} {name}({Parameters(method)})");
        }
        foreach (var property in type.GetProperties(Declared))
        {
            var accessors = new[] { property.GetMethod, property.SetMethod }.Where(a => a is not null && IsVisible(a)).ToList();
            if (accessors.Count == 0) continue;
            var first = accessors[0]!;
            var indexer = property.GetIndexParameters();
            string name = indexer.Length == 0 ? $"{owner}.{property.Name}" : $"{owner}.this[{Parameters(property.GetMethod ?? property.SetMethod!)}]";
            string body = string.Join(" ", accessors.Select(a => Accessor(a!, first, property)));
            yield return (name, $"{Modifiers(first, type)}{TypeName(property)} {name} {{ {body} }}");
        }
        foreach (var field in type.GetFields(Declared).Where(f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly))
        {
            string name = $"{owner}.{field.Name}";
            string modifiers = field.IsLiteral ? "const " : (field.IsStatic ? "static " : "") + (field.IsInitOnly ? "readonly " : "");
            string value = field.IsLiteral ? " = " + Literal(field.GetRawConstantValue(), field.FieldType) : "";
            yield return (name, $"{(field.IsPublic ? "public" : "protected")} {modifiers}{TypeName(field)} {name}{value}");
        }
        foreach (var e in type.GetEvents(Declared).Where(e => e.AddMethod is { } add && IsVisible(add)))
        {
            yield return ($"{owner}.{e.Name}", $"{Modifiers(e.AddMethod!, type)}event {TypeName(e)} {owner}.{e.Name}");
        }
    }

    private static bool IsVisible(MethodBase member) => member.IsPublic || member.IsFamily || member.IsFamilyOrAssembly;

    private static string Access(MethodBase member) => member.IsPublic ? "public" : "protected";

    private static string Modifiers(MethodInfo method, Type owner)
    {
        string modifiers = Access(method) + " ";
        if (method.IsStatic) modifiers += "static ";
        if (owner.IsInterface) return modifiers;
        bool overrides = method.GetBaseDefinition().DeclaringType != method.DeclaringType;
        if (method.IsAbstract) modifiers += "abstract ";
        else if (overrides) modifiers += method.IsFinal ? "sealed override " : "override ";
        else if (method.IsVirtual && !method.IsFinal) modifiers += "virtual ";
        return modifiers;
    }

    /// <summary>"get;", "set;", "init;", with the accessor's own access when it differs from the property's.</summary>
    private static string Accessor(MethodInfo accessor, MethodInfo first, PropertyInfo property)
    {
        string access = Access(accessor) == Access(first) ? "" : Access(accessor) + " ";
        if (accessor == property.GetMethod) return access + "get;";
        bool init = accessor.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
        return access + (init ? "init;" : "set;");
    }

    private static string Parameters(MethodBase method) => string.Join(", ", method.GetParameters().Select(Parameter));

    private static string Parameter(ParameterInfo parameter)
    {
        string prefix = parameter.IsDefined(typeof(ParamArrayAttribute)) ? "params "
            : !parameter.ParameterType.IsByRef ? ""
            : parameter.IsOut ? "out "
            : parameter.IsIn ? "in "
            : "ref ";
        string text = $"{prefix}{TypeName(parameter)} {parameter.Name}";
        return parameter.HasDefaultValue ? $"{text} = {Literal(parameter.DefaultValue, parameter.ParameterType)}" : text;
    }

    private static string Literal(object? value, Type type) => value switch
    {
        null => type.IsValueType && Nullable.GetUnderlyingType(type) is null ? "default" : "null",
        // Escaped as C# writes them, so that a constant holding a line break stays on its line.
        string s => $"\"{s.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\t", "\\t").Replace("\r", "\\r")}\"",
        bool b => b ? "true" : "false",
        _ when type.IsEnum => $"{TypeName(type)}.{Enum.GetName(type, value)}",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static string TypeName(ParameterInfo parameter) =>
        TypeName(parameter.ParameterType, new NullabilityInfoContext().Create(parameter), TupleNames(parameter.GetCustomAttribute<TupleElementNamesAttribute>()));

    private static string TypeName(PropertyInfo property) =>
        TypeName(property.PropertyType, new NullabilityInfoContext().Create(property), TupleNames(property.GetCustomAttribute<TupleElementNamesAttribute>()));

    private static string TypeName(FieldInfo field) =>
        TypeName(field.FieldType, new NullabilityInfoContext().Create(field), TupleNames(field.GetCustomAttribute<TupleElementNamesAttribute>()));

    private static string TypeName(EventInfo e) => TypeName(e.EventHandlerType!, new NullabilityInfoContext().Create(e), null);

    private static string TypeName(Type type) => TypeName(type, null, null);

    private static Queue<string?>? TupleNames(TupleElementNamesAttribute? names) => names is null ? null : new Queue<string?>(names.TransformNames);

    /// <param name="nullability">Null where the type's place says nothing of it (a base type, say).</param>
    /// <param name="tupleNames">The names of tuple elements, taken in the order the compiler lists
    /// them: each tuple's own names first, then those of the tuples inside it, left to right.</param>
    private static string TypeName(Type type, NullabilityInfo? nullability, Queue<string?>? tupleNames)
    {
        if (type.IsByRef) return TypeName(type.GetElementType()!, nullability, tupleNames);
        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!, nullability?.ElementType, tupleNames) + "[" + new string(',', type.GetArrayRank() - 1) + "]" + Mark(type, nullability);
        }
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TypeName(underlying, nullability?.GenericTypeArguments.FirstOrDefault(), tupleNames) + "?";
        }
        if (type.IsGenericParameter) return type.Name + Mark(type, nullability);
        if (Keywords.TryGetValue(type, out string? keyword)) return keyword + Mark(type, nullability);
        if (!type.IsGenericType) return FullName(type) + Mark(type, nullability);

        var arguments = type.GetGenericArguments();
        if (type.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true)
        {
            var names = arguments.Select(_ => tupleNames is { Count: > 0 } ? tupleNames.Dequeue() : null).ToList();
            var elements = arguments.Select((argument, i) =>
                TypeName(argument, nullability?.GenericTypeArguments.ElementAtOrDefault(i), tupleNames) + (names[i] is { } name ? " " + name : ""));
            return $"({string.Join(", ", elements.ToList())})";
        }
        var rendered = arguments.Select((argument, i) => TypeName(argument, nullability?.GenericTypeArguments.ElementAtOrDefault(i), tupleNames)).ToList();
        return $"{FullName(type)}<{string.Join(", ", rendered)}>{Mark(type, nullability)}";
    }

    private static string Mark(Type type, NullabilityInfo? nullability) =>
        !type.IsValueType && nullability?.ReadState == NullabilityState.Nullable ? "?" : "";

    /// <summary>Namespace, outer types and name, without a generic arity.</summary>
    private static string FullName(Type type)
    {
        string name = type.Name;
        int tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        return type.DeclaringType is { } outer ? $"{FullName(outer)}.{name}" : $"{type.Namespace}.{name}";
    }

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void", [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(char)] = "char",
        [typeof(short)] = "short", [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long",
        [typeof(ulong)] = "ulong", [typeof(nint)] = "nint", [typeof(nuint)] = "nuint", [typeof(float)] = "float", [typeof(double)] = "double",
        [typeof(decimal)] = "decimal", [typeof(object)] = "object", [typeof(string)] = "string",
    };
}
