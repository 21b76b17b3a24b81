<?xml version="1.0" encoding="utf-8"?>
<!--
  Browser view of NewsFeed's RSS 2.0 and Atom 1.0 feeds. Firefox and Safari run it through the
  feed's xml-stylesheet instruction; for browsers that dropped XSLT (Chromium) the server runs this
  same file on a top-level navigation (Feeds/FeedBrowserView.cs). XSLT 1.0, no document(), no script.
  Every value is output as text: nothing from a feed is ever copied into the page as markup.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:media="http://search.yahoo.com/mrss/"
  exclude-result-prefixes="atom dc media">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <xsl:variable name="self" select="rss/channel/atom:link[@rel='self']/@href | atom:feed/atom:link[@rel='self']/@href"/>
    <xsl:variable name="type" select="rss/channel/atom:link[@rel='self']/@type | atom:feed/atom:link[@rel='self']/@type"/>
    <xsl:variable name="home" select="substring-before($self, '/feeds/')"/>
    <!-- RFC 5005 archives: an archive names its feed (current) and its neighbours (prev-archive, next-archive). -->
    <xsl:variable name="current" select="rss/channel/atom:link[@rel='current']/@href | atom:feed/atom:link[@rel='current']/@href"/>
    <xsl:variable name="older" select="rss/channel/atom:link[@rel='prev-archive']/@href | atom:feed/atom:link[@rel='prev-archive']/@href"/>
    <xsl:variable name="newer" select="rss/channel/atom:link[@rel='next-archive']/@href | atom:feed/atom:link[@rel='next-archive']/@href"/>
    <!-- The address to subscribe to is the feed itself, never one page, one ?limit= or one archive of it. -->
    <xsl:variable name="subscribe">
      <xsl:choose>
        <xsl:when test="$current"><xsl:value-of select="$current"/></xsl:when>
        <xsl:when test="contains($self, '?')"><xsl:value-of select="substring-before($self, '?')"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$self"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <html lang="{rss/channel/language | atom:feed/@xml:lang}">
      <head>
        <!-- No <meta charset>: the server-side html output method writes its own Content-Type meta. -->
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <link rel="alternate" type="{$type}" title="{$title}" href="{$subscribe}"/>
        <style>
          body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; background: #fff; overflow-wrap: anywhere; }
          nav { font-size: .9rem; }
          .subscribe { border: 1px solid #c9d7f0; background: #eef4ff; border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0 2rem; }
          .subscribe code { display: block; margin-top: .4rem; padding: .3rem .5rem; background: #fff; border-radius: 4px; word-break: break-all; user-select: all; }
          .subscribe small { display: block; margin-top: .4rem; color: #555; }
          article { border-top: 1px solid #ddd; padding: 1rem 0; overflow: hidden; }
          article img { float: right; width: 9rem; height: auto; margin: 0 0 .5rem 1rem; border-radius: 4px; }
          article h2 { font-size: 1.15rem; margin: 0 0 .25rem; }
          article p { margin: .25rem 0; }
          .meta { color: #666; font-size: .85rem; }
          .meta span, .meta bdi { unicode-bidi: isolate; }
          @media (prefers-color-scheme: dark) {
            body { color: #e8e8e8; background: #161616; } a { color: #8cb4ff; }
            .subscribe { background: #1d2533; border-color: #33425c; } .subscribe code { background: #111; } .subscribe small { color: #aaa; }
            article { border-color: #333; } .meta { color: #aaa; }
          }
        </style>
      </head>
      <body>
        <xsl:if test="$home">
          <nav><a href="{$home}/">All feeds</a></nav>
        </xsl:if>
        <h1><xsl:value-of select="$title"/></h1>
        <p><xsl:call-template name="html-text"><xsl:with-param name="text" select="rss/channel/description"/></xsl:call-template><xsl:value-of select="atom:feed/atom:subtitle"/></p>
        <div class="subscribe">
          <strong>This is a web feed.</strong> Copy this address into your feed reader to subscribe:
          <code><xsl:value-of select="$subscribe"/></code>
          <small>A feed reader checks it for new stories, so you do not have to. This page is only a preview.</small>
        </div>
        <xsl:apply-templates select="rss/channel/item | atom:feed/atom:entry"/>
        <xsl:if test="$older or $newer">
          <!-- The feed's full history, a month per archive, each link shown only when it is http(s). -->
          <nav class="history">
            <xsl:if test="$newer">
              <xsl:call-template name="link"><xsl:with-param name="href" select="$newer"/><xsl:with-param name="text" select="'Newer stories'"/></xsl:call-template>
              <xsl:text> · </xsl:text>
            </xsl:if>
            <xsl:if test="$older">
              <xsl:call-template name="link"><xsl:with-param name="href" select="$older"/><xsl:with-param name="text" select="'Older stories: the archive, a month at a time'"/></xsl:call-template>
            </xsl:if>
          </nav>
        </xsl:if>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <article dir="auto">
      <xsl:if test="starts-with(media:thumbnail/@url, 'http')">
        <img src="{media:thumbnail/@url}" alt="" loading="lazy" referrerpolicy="no-referrer"/>
      </xsl:if>
      <h2><xsl:call-template name="link"><xsl:with-param name="href" select="link"/><xsl:with-param name="text" select="title"/></xsl:call-template></h2>
      <!-- The byline is our English wording around the feed's names: an isolated left-to-right run whatever the
           item's direction (the article is dir="auto"), each name isolated in turn, so a Hebrew or Arabic item or
           name never reorders the date and the words around it. -->
      <p class="meta"><span dir="ltr">
        <!-- RFC 822 as we write it: "Tue, 17 Nov 2026 08:20:00 GMT" -->
        <time><xsl:value-of select="concat(number(substring(pubDate, 6, 2)), substring(pubDate, 8, 9), ', ', substring(pubDate, 18, 5), ' UTC')"/></time>
        <xsl:call-template name="authors"><xsl:with-param name="names" select="dc:creator"/></xsl:call-template>
        <xsl:if test="source">
          <xsl:text> · from </xsl:text>
          <bdi><xsl:call-template name="link"><xsl:with-param name="href" select="source/@url"/><xsl:with-param name="text" select="source"/></xsl:call-template></bdi>
        </xsl:if>
      </span></p>
      <p><xsl:call-template name="html-text"><xsl:with-param name="text" select="description"/></xsl:call-template></p>
    </article>
  </xsl:template>

  <xsl:template match="atom:entry">
    <article dir="auto">
      <xsl:if test="starts-with(media:thumbnail/@url, 'http')">
        <img src="{media:thumbnail/@url}" alt="" loading="lazy" referrerpolicy="no-referrer"/>
      </xsl:if>
      <h2><xsl:call-template name="link"><xsl:with-param name="href" select="atom:link[@rel='alternate']/@href"/><xsl:with-param name="text" select="atom:title"/></xsl:call-template></h2>
      <p class="meta"><span dir="ltr">
        <!-- RFC 3339 as we write it: "2026-11-17T08:20:00Z" -->
        <xsl:variable name="date" select="atom:published"/>
        <time datetime="{$date}">
          <xsl:value-of select="concat(number(substring($date, 9, 2)), ' ', substring('JanFebMarAprMayJunJulAugSepOctNovDec', 3 * substring($date, 6, 2) - 2, 3), ' ', substring($date, 1, 4), ', ', substring($date, 12, 5), ' UTC')"/>
        </time>
        <xsl:call-template name="authors"><xsl:with-param name="names" select="atom:author/atom:name"/></xsl:call-template>
        <xsl:if test="atom:source">
          <xsl:text> · from </xsl:text>
          <bdi><xsl:call-template name="link"><xsl:with-param name="href" select="atom:source/atom:link[@rel='alternate']/@href"/><xsl:with-param name="text" select="atom:source/atom:title"/></xsl:call-template></bdi>
          <xsl:if test="atom:source/atom:rights"> (<bdi><xsl:value-of select="atom:source/atom:rights"/></bdi>)</xsl:if>
        </xsl:if>
      </span></p>
      <p><xsl:value-of select="atom:summary"/></p>
    </article>
  </xsl:template>

  <!-- A link only to an http(s) address; anything else (javascript:, data:) stays plain text. -->
  <xsl:template name="link">
    <xsl:param name="href"/>
    <xsl:param name="text"/>
    <xsl:choose>
      <xsl:when test="starts-with($href, 'https://') or starts-with($href, 'http://')"><a href="{$href}"><xsl:value-of select="$text"/></a></xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- " · by A, B", each name isolated from the text around it -->
  <xsl:template name="authors">
    <xsl:param name="names"/>
    <xsl:for-each select="$names">
      <xsl:choose>
        <xsl:when test="position() = 1"> · by </xsl:when>
        <xsl:otherwise>, </xsl:otherwise>
      </xsl:choose>
      <bdi><xsl:value-of select="."/></bdi>
    </xsl:for-each>
  </xsl:template>

  <!-- RSS description holds plain text escaped once more for HTML; show it as the text it encodes.
       A preview shows at most the first 600 characters: XSLT 1.0 string replacement costs grow with
       the square of the length, and the server runs this on request. -->
  <xsl:template name="html-text">
    <xsl:param name="text"/>
    <xsl:call-template name="unescape">
      <xsl:with-param name="text" select="substring($text, 1, 600)"/>
    </xsl:call-template>
    <xsl:if test="string-length($text) &gt; 600">…</xsl:if>
  </xsl:template>

  <xsl:template name="unescape">
    <xsl:param name="text"/>
    <xsl:call-template name="replace">
      <xsl:with-param name="text">
        <xsl:call-template name="replace">
          <xsl:with-param name="text">
            <xsl:call-template name="replace">
              <xsl:with-param name="text" select="$text"/>
              <xsl:with-param name="from" select="'&amp;lt;'"/>
              <xsl:with-param name="to" select="'&lt;'"/>
            </xsl:call-template>
          </xsl:with-param>
          <xsl:with-param name="from" select="'&amp;gt;'"/>
          <xsl:with-param name="to" select="'&gt;'"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="from" select="'&amp;amp;'"/>
      <xsl:with-param name="to" select="'&amp;'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="replace">
    <xsl:param name="text"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="contains($text, $from)">
        <xsl:value-of select="substring-before($text, $from)"/>
        <xsl:value-of select="$to"/>
        <xsl:call-template name="replace">
          <xsl:with-param name="text" select="substring-after($text, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
