namespace Conman.Engine;

/// <summary>
/// Every error id the engine raises: they become PowerShell's FullyQualifiedErrorId, and callers
/// (the cmdlets, tests) compare against these constants, never against string literals. Declared
/// by domain, beside their factories, in Errors/&lt;domain&gt;Errors.cs.
/// </summary>
public static partial class ErrorIds;

/// <summary>
/// The engine's errors, one factory each, with the message a user reads. Messages say what is
/// wrong in the container's terms; what to do next in PowerShell (which cmdlet, which switch) is
/// the cmdlet layer's to add, by id (ErrorAdvice). One file per domain in Errors/.
/// </summary>
public static partial class ConmanErrors;
