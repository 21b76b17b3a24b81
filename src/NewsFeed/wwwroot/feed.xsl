<?xml version="1.0" encoding="utf-8"?>
<!--
  Browser view of NewsFeed's RSS 2.0 and Atom 1.0 feeds (linked by an xml-stylesheet instruction).
  Every value is output as text: nothing from a feed is ever copied into the page as markup.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:media="http://search.yahoo.com/mrss/"
  exclude-result-prefixes="atom media">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <xsl:variable name="self" select="rss/channel/atom:link[@rel='self']/@href | atom:feed/atom:link[@rel='self']/@href"/>
    <html>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <style>
          body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; background: #fff; }
          .subscribe { border: 1px solid #c9d7f0; background: #eef4ff; border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0 2rem; }
          .subscribe code { display: block; margin-top: .4rem; word-break: break-all; user-select: all; }
          article { border-top: 1px solid #ddd; padding: 1rem 0; overflow: hidden; }
          article img { float: right; width: 9rem; height: auto; margin: 0 0 .5rem 1rem; border-radius: 4px; }
          article h2 { font-size: 1.15rem; margin: 0 0 .25rem; }
          time { color: #666; font-size: .85rem; }
          @media (prefers-color-scheme: dark) {
            body { color: #e8e8e8; background: #161616; } a { color: #8cb4ff; }
            .subscribe { background: #1d2533; border-color: #33425c; } article { border-color: #333; } time { color: #aaa; }
          }
        </style>
      </head>
      <body>
        <h1><xsl:value-of select="$title"/></h1>
        <p><xsl:call-template name="html-text"><xsl:with-param name="text" select="rss/channel/description"/></xsl:call-template><xsl:value-of select="atom:feed/atom:subtitle"/></p>
        <div class="subscribe">
          <strong>This is a web feed.</strong> Copy this address into your feed reader to subscribe:
          <code><xsl:value-of select="$self"/></code>
        </div>
        <xsl:apply-templates select="rss/channel/item | atom:feed/atom:entry"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <article>
      <xsl:if test="media:thumbnail/@url">
        <img src="{media:thumbnail/@url}" alt="" loading="lazy"/>
      </xsl:if>
      <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
      <time><xsl:value-of select="pubDate"/></time>
      <p><xsl:call-template name="html-text"><xsl:with-param name="text" select="description"/></xsl:call-template></p>
    </article>
  </xsl:template>

  <xsl:template match="atom:entry">
    <article>
      <xsl:if test="media:thumbnail/@url">
        <img src="{media:thumbnail/@url}" alt="" loading="lazy"/>
      </xsl:if>
      <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
      <time><xsl:value-of select="substring(atom:published, 1, 10)"/></time>
      <p><xsl:value-of select="atom:summary"/></p>
    </article>
  </xsl:template>

  <!-- RSS description holds plain text escaped once more for HTML; show it as the text it encodes. -->
  <xsl:template name="html-text">
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
