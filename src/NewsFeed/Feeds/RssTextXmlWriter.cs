using System.Buffers;
using System.Xml;

namespace NewsFeed.Feeds;

/// <summary>
/// Writes '&amp;' and '&lt;' in RSS element text as hexadecimal character references (&amp;#x26;,
/// &amp;#x3C;). RSS never says whether element text is plain text or HTML; references keep plain
/// text unambiguous (RSS Best Practices Profile; the W3C validator's "CharacterData" warning).
/// Attribute values (URLs) are left to the inner writer.
/// </summary>
internal sealed class RssTextXmlWriter(XmlWriter inner) : XmlWriter
{
    private bool _inAttribute;

    public override WriteState WriteState => inner.WriteState;

    public override XmlWriterSettings? Settings => inner.Settings;

    public override void WriteString(string? text)
    {
        if (_inAttribute || string.IsNullOrEmpty(text) || text.AsSpan().IndexOfAny('&', '<') < 0)
        {
            inner.WriteString(text);
            return;
        }
        // The runs between references go out through one pooled buffer: a story's body has thousands of them, and a
        // substring for each would copy the whole body once more per render.
        var buffer = ArrayPool<char>.Shared.Rent(Math.Min(text.Length, RunBuffer));
        try
        {
            var rest = text.AsSpan();
            while (rest.Length > 0)
            {
                var special = rest.IndexOfAny('&', '<');
                var run = special < 0 ? rest : rest[..special];
                while (run.Length > 0)
                {
                    var length = Math.Min(run.Length, buffer.Length);
                    // Never between the halves of a surrogate pair.
                    if (length < run.Length && char.IsHighSurrogate(run[length - 1])) length--;
                    run[..length].CopyTo(buffer);
                    inner.WriteChars(buffer, 0, length);
                    run = run[length..];
                }
                if (special < 0) break;
                inner.WriteCharEntity(rest[special]);
                rest = rest[(special + 1)..];
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private const int RunBuffer = 4_096;

    public override void WriteChars(char[] buffer, int index, int count) => WriteString(new string(buffer, index, count));

    public override void WriteStartAttribute(string? prefix, string localName, string? ns)
    {
        _inAttribute = true;
        inner.WriteStartAttribute(prefix, localName, ns);
    }

    public override void WriteEndAttribute()
    {
        inner.WriteEndAttribute();
        _inAttribute = false;
    }

    public override void Flush() => inner.Flush();
    public override string? LookupPrefix(string ns) => inner.LookupPrefix(ns);
    public override void WriteBase64(byte[] buffer, int index, int count) => inner.WriteBase64(buffer, index, count);
    public override void WriteCData(string? text) => inner.WriteCData(text);
    public override void WriteCharEntity(char ch) => inner.WriteCharEntity(ch);
    public override void WriteComment(string? text) => inner.WriteComment(text);
    public override void WriteDocType(string name, string? pubid, string? sysid, string? subset) => inner.WriteDocType(name, pubid, sysid, subset);
    public override void WriteEndDocument() => inner.WriteEndDocument();
    public override void WriteEndElement() => inner.WriteEndElement();
    public override void WriteEntityRef(string name) => inner.WriteEntityRef(name);
    public override void WriteFullEndElement() => inner.WriteFullEndElement();
    public override void WriteProcessingInstruction(string name, string? text) => inner.WriteProcessingInstruction(name, text);
    public override void WriteRaw(char[] buffer, int index, int count) => inner.WriteRaw(buffer, index, count);
    public override void WriteRaw(string data) => inner.WriteRaw(data);
    public override void WriteStartDocument() => inner.WriteStartDocument();
    public override void WriteStartDocument(bool standalone) => inner.WriteStartDocument(standalone);
    public override void WriteStartElement(string? prefix, string localName, string? ns) => inner.WriteStartElement(prefix, localName, ns);
    public override void WriteSurrogateCharEntity(char lowChar, char highChar) => inner.WriteSurrogateCharEntity(lowChar, highChar);
    public override void WriteWhitespace(string? ws) => inner.WriteWhitespace(ws);

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
