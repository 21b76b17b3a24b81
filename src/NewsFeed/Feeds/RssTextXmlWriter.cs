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
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '&' or '<')
            {
                inner.WriteString(text[start..i]);
                inner.WriteCharEntity(text[i]);
                start = i + 1;
            }
        }
        inner.WriteString(text[start..]);
    }

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
