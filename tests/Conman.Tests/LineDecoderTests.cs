using System.Text;
using Conman.Attach;

namespace Conman.Tests;

public class LineDecoderTests
{
    [Fact]
    public void Lines_split_on_newlines_drop_a_trailing_carriage_return_and_keep_empty_lines()
    {
        var decoder = new LineDecoder();
        Assert.Equal(["one", "two", "", "three\rx"], decoder.Add("one\ntwo\r\n\nthree\rx\nrest"u8));
        Assert.Equal("rest", decoder.Finish());
        Assert.Null(decoder.Finish());
    }

    [Fact]
    public void A_line_and_a_character_split_across_chunks_come_out_whole()
    {
        var decoder = new LineDecoder();
        byte[] text = Encoding.UTF8.GetBytes("héllo wörld\r\nnext\n");
        var lines = new List<string>();
        // One byte at a time: every split, inside the two-byte characters and between \r and \n too.
        foreach (byte b in text) lines.AddRange(decoder.Add([b]));
        Assert.Equal(["héllo wörld", "next"], lines);
        Assert.Null(decoder.Finish());
    }
}
