using Conman.Native;

namespace Conman.Terminal;

internal static unsafe class TerminalSize
{
    /// <summary>The size of the terminal on standard output, or 24x80 (a VT100's) when there is none.</summary>
    public static (ushort Rows, ushort Columns) OfHostOrDefault() => OfHost() ?? ((ushort)24, (ushort)80);

    /// <summary>The size of the terminal on standard output; null when output goes elsewhere (a script's pipe, a file).</summary>
    public static (ushort Rows, ushort Columns)? OfHost()
    {
        LibC.WinSize size;
        return LibC.ioctl(1, LibC.TIOCGWINSZ, &size) == 0 && size.Rows > 0 ? (size.Rows, size.Columns) : null;
    }
}
