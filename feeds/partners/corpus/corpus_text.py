"""Words for the corpus, written for it: headlines, summaries, bylines, partner sites, and news in other scripts."""

HEADLINES = [
    "Harbour bridge reopens after storm repairs",
    "Council approves budget for new library wing",
    "Rail operator adds late trains on weekends",
    "Local bakery wins regional bread award",
    "School board delays vote on later start times",
    "Flood defences tested as river rises",
    "Museum opens exhibition of shipbuilding photographs",
    "Hospital trust recruits forty new nurses",
    "Cycle lane plan divides shop owners",
    "Winter fuel payments go out early this year",
    "Q&A: what the new parking rules mean for you",
    "Fishing fleet returns with record autumn catch",
    "Power cut leaves 3,000 homes dark for hours",
    "Youth orchestra tours three cities in a week",
    "Landslide closes coastal road near the lighthouse",
    "Mayor answers questions on housing targets",
    "Water company fined over sewage spill",
    "Tram extension reaches the university campus",
    "Farmers' market moves to the old corn exchange",
    "Police appeal for witnesses after warehouse fire",
    "Airport expansion hearing enters second week",
    "Volunteers plant 5,000 trees along the ring road",
    "Heat pump grants open to older homes",
    "Chess club celebrates 100 years of play",
    "Ferry timetable cut as crews fall ill",
    "Teachers vote to accept pay offer",
    "New bus routes link outlying villages",
    "Theatre restoration uncovers Victorian murals",
    "Storm warning issued for the northern coast",
    "Startup raises funds for delivery drones",
    "Dockworkers agree two-year wage deal",
    "Election count goes on into the night",
    "Swimming pool closes for roof repairs",
    "Reservoir levels lowest in two decades",
    "Court hears appeal over quarry plans",
    "Festival organisers promise quieter nights",
    "Broadband reaches the last hill farms",
    "Nature reserve welcomes returning otters",
    "City bikes scheme doubles its fleet",
    "Factory reopens under new owners",
]

SUMMARIES = [
    "Engineers worked through the night to finish the last inspection before the morning commute.",
    "The vote passed by nine to four after a long debate about the cost of heating the building in winter.",
    "Passengers had asked for later services for years.",
    "Judges praised the sourdough for its crust and its flavour.",
    "Parents will get another month to respond to the consultation, which closes in January.",
    "Sandbags were handed out at the town hall on Tuesday.",
    "More than two hundred images from the yard's archive are on show, many of them never printed before.",
    "The trust says the new staff will reduce waiting times in the emergency department by spring.",
    "Some traders fear losing passing trade; others expect more customers on foot and by bike.",
    "Households should check their bank statements in the first week of December.",
    "Short note.",
    "A council spokesperson said the changes would take effect at the start of next month and apply to all residential zones.",
]

PEOPLE = [
    "Amara Okafor", "Tomás Ribeiro", "Ingrid Halvorsen", "Wei Chen", "Priya Raman", "Jonah Feld",
    "Élodie Marchand", "Kofi Mensah", "Sara Lindqvist", "Mateo García", "Hana Sato", "Owen Pryce",
]

# (name, host) of partner sites; every address under .example (RFC 2606).
SITES = [
    ("Harbour Gazette", "harbourgazette.example"), ("Valley Courier", "valleycourier.example"),
    ("Northern Wire", "northernwire.example"), ("Old Town Radio", "oldtownradio.example"),
    ("Metro Daily", "metrodaily.example"), ("Riverside Post", "riversidepost.example"),
    ("Coastline News", "coastline.example"), ("Hill Country Times", "hillcountry.example"),
    ("Market Square", "marketsquare.example"), ("The Lantern", "lantern.example"),
    ("Eastside Bulletin", "eastside.example"), ("Signal Box", "signalbox.example"),
]

# News in other scripts, for the encodings: (language, [(headline, summary)], Python codecs to write it in).
LANGUAGES = {
    "ja": ([
        ("市議会、港の橋について協議", "市議会は月曜日の夜、嵐以来閉鎖されている港の橋について話し合った。"),
        ("駅前に新しい図書館が開館", "新しい図書館が駅前に開館し、初日には多くの市民が訪れた。"),
        ("週末は大雨に警戒", "気象庁は週末にかけて大雨への警戒を呼びかけている。"),
    ], ["euc_jp", "shift_jis"]),
    "zh": ([
        ("市政府宣布扩建港口", "市政府宣布将在明年春季扩建港口，以满足日益增长的货运需求。"),
        ("公共图书馆正式开放", "新建的公共图书馆今天正式开放，吸引了大批市民前来参观。"),
        ("本周末可能出现强降雨", "气象部门提醒市民，本周末可能出现强降雨天气。"),
    ], ["gb2312"]),
    "ko": ([
        ("시의회, 항구 다리 논의", "시의회는 월요일 저녁 폭풍 이후 폐쇄된 항구 다리에 대해 논의했다."),
        ("역 앞에 새 도서관 개관", "새 도서관이 역 앞에 문을 열었고 첫날 많은 시민이 방문했다."),
        ("주말 폭우 주의", "기상청은 주말 동안 폭우에 대비할 것을 당부했다."),
    ], ["euc_kr"]),
    "ru": ([
        ("Совет обсудил ремонт моста", "Городской совет в понедельник вечером обсудил ремонт моста в порту."),
        ("У вокзала открылась библиотека", "Новая библиотека открылась у вокзала, в первый день её посетили сотни жителей."),
        ("В выходные ожидаются ливни", "Синоптики предупреждают о сильных дождях в выходные."),
    ], ["koi8_r", "cp1251"]),
    "fr": ([
        ("Le café de la gare rouvre", "Le café de la gare rouvre après des travaux d'été."),
        ("Élection municipale : la liste écologiste en tête", "La liste écologiste arrive en tête à Besançon, devant la majorité sortante."),
        ("Crème brûlée géante : record battu", "Le record de la plus grande crème brûlée a été battu à la fête du village."),
    ], ["cp1252", "latin_1", "iso8859_15"]),
    "de": ([
        ("Brücke über die Förde wieder offen", "Nach drei Wochen Bauarbeiten ist die Brücke über die Förde wieder für den Verkehr freigegeben."),
        ("Straßenbahn fährt bis zur Universität", "Die neue Linie verbindet seit Montag die Altstadt mit dem Campus."),
    ], ["cp1252", "latin_1"]),
}
