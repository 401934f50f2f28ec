using System.Text;
using Conman.Engine;

namespace Conman.Tests;

[Trait("Category", "Unit")]
public class LineDecoderTests
{
    [Fact]
    public void Lines_split_on_newlines_drop_a_trailing_carriage_return_and_keep_empty_lines()
    {
        var decoder = new LineDecoder(trimCarriageReturn: true);
        var lines = new List<string>();
        decoder.Add("one\ntwo\r\n\nthree\rx\nrest"u8, lines);
        Assert.Equal(["one", "two", "", "three\rx"], lines);
        Assert.Equal("rest", decoder.Finish());
        Assert.Null(decoder.Finish());
    }

    [Fact]
    public void A_line_and_a_character_split_across_chunks_come_out_whole()
    {
        var decoder = new LineDecoder(trimCarriageReturn: true);
        byte[] text = Encoding.UTF8.GetBytes("héllo wörld\r\nnext\n");
        var lines = new List<string>();
        // One byte at a time: every split, inside the two-byte characters and between \r and \n too.
        foreach (byte b in text) decoder.Add([b], lines);
        Assert.Equal(["héllo wörld", "next"], lines);
        Assert.Null(decoder.Finish());
    }

    [Fact]
    public void A_line_longer_than_many_chunks_comes_out_whole_and_a_byte_that_is_not_UTF8_becomes_a_replacement_character()
    {
        var decoder = new LineDecoder(trimCarriageReturn: true);
        var lines = new List<string>();
        string longLine = new('x', 10_000);
        byte[] bytes = Encoding.UTF8.GetBytes(longLine + "\n");
        for (int i = 0; i < bytes.Length; i += 1000) decoder.Add(bytes.AsSpan(i, Math.Min(1000, bytes.Length - i)), lines);
        decoder.Add([(byte)'f', 0xff, (byte)'g', (byte)'\n'], lines);
        Assert.Equal([longLine, "f\uFFFDg"], lines);
    }

    [Fact]
    public void Without_trimming_a_carriage_return_before_the_newline_stays_in_the_line()
    {
        var decoder = new LineDecoder(trimCarriageReturn: false);
        var lines = new List<string>();
        decoder.Add("one\r\ntwo\r"u8, lines);
        Assert.Equal(["one\r"], lines);
        Assert.Equal("two\r", decoder.Finish());
    }
}
