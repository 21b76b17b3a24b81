using System.ComponentModel.DataAnnotations;
using NewsFeed.Text;

namespace NewsFeed.Site;

/// <summary>The "Site" configuration section: who publishes, and where this server is reached.</summary>
internal sealed class SiteOptions
{
    public const string Section = "Site";

    [Required, StringLength(200)]
    public string Title { get; set; } = "The Meridian Ledger";

    [Required, StringLength(1000)]
    public string Description { get; set; } = "Independent reporting from The Meridian Ledger.";

    /// <summary>The publisher's website (RSS channel link, Atom alternate, JSON Feed home_page_url).</summary>
    [Required, AbsoluteUrl]
    public string Link { get; set; } = "https://news.example.com/";

    /// <summary>
    /// The public base URL of this server, as subscribers reach it (behind a CDN: the CDN's).
    /// Every self, paging and stylesheet link is built from it, never from the request's Host header,
    /// so a forged Host can never end up in a cached feed.
    /// </summary>
    [Required, AbsoluteUrl]
    public string PublicUrl { get; set; } = "http://localhost:5080/";

    [Required, RegularExpression("^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")]
    public string Language { get; set; } = "en";

    [StringLength(500)]
    public string? Copyright { get; set; } = "Copyright 2026 The Meridian Ledger. All rights reserved.";

    /// <summary>Channel image (RSS) and logo (Atom): GIF, JPEG or PNG.</summary>
    [AbsoluteUrl]
    public string? LogoUrl { get; set; } = "https://news.example.com/media/logo.png";

    /// <summary>Small square icon (Atom icon, JSON Feed favicon).</summary>
    [AbsoluteUrl]
    public string? IconUrl { get; set; } = "https://news.example.com/media/icon.png";

    /// <summary><see cref="PublicUrl"/> with exactly one trailing slash, so paths can be appended.</summary>
    public string BaseUrl => PublicUrl.TrimEnd('/') + "/";
}
