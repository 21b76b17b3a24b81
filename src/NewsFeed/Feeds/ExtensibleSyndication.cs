using System.ServiceModel.Syndication;
using System.Xml;

namespace NewsFeed.Feeds;

/// <summary>A feed whose extra elements are written straight to the formatter's XmlWriter.</summary>
internal sealed class ExtensibleFeed : SyndicationFeed
{
    public Action<XmlWriter>? Extensions { get; init; }

    protected override void WriteElementExtensions(XmlWriter writer, string version)
    {
        base.WriteElementExtensions(writer, version);
        Extensions?.Invoke(writer);
    }
}

/// <summary>An item whose extra elements are written straight to the formatter's XmlWriter.</summary>
internal sealed class ExtensibleItem : SyndicationItem
{
    public Action<XmlWriter>? Extensions { get; init; }

    protected override void WriteElementExtensions(XmlWriter writer, string version)
    {
        base.WriteElementExtensions(writer, version);
        Extensions?.Invoke(writer);
    }
}
