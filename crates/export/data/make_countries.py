#!/usr/bin/env python3
"""Builds countries.tsv: the country facts the ACLED and UCDP exports need.

Input: GeoNames' countryInfo.txt (CC BY 4.0, https://www.geonames.org/), for the ISO 3166-1
alpha-2, alpha-3 and numeric codes and the English short name.
Added here, by hand:
- `acled_region`: the region names ACLED's exports use (Western Africa, Middle East, Caucasus and
  Central Asia ...), assigned per country as ACLED's regional coverage groups them.
- `gwno`: the Gleditsch & Ward state number UCDP uses for `country_id` / `gwnoa` (Gleditsch, K. S.
  & Ward, M. D., "Interstate system membership: a revised list of the independent states since
  1816", International Interactions 25, 1999). Left empty for territories and microstates outside
  the G&W list.
- `ucdp_region`: UCDP's five regions (Africa, Americas, Asia, Europe, Middle East), which follow
  the G&W number ranges (2-165 Americas, 200-399 Europe, 400-626 Africa, 630-698 Middle East,
  700-990 Asia and Oceania); for countries without a number, from the ACLED region.
- `name`: GeoNames' name, except where ACLED and UCDP both use a shorter common name (NAMES).

Run: python3 make_countries.py /path/to/countryInfo.txt > countries.tsv
"""
import sys

REGIONS = {
    "Western Africa": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SN SL TG SH",
    "Middle Africa": "CM CF TD CG CD GQ GA ST",
    "Eastern Africa": "BI KM DJ ER ET KE MU YT RE RW SC SO SS TZ UG IO",
    "Southern Africa": "AO BW LS MG MW MZ NA ZA SZ ZM ZW",
    "Northern Africa": "DZ EG LY MA SD TN EH",
    "Middle East": "BH IR IQ IL JO KW LB OM PS QA SA SY TR AE YE",
    "South Asia": "AF BD BT IN MV NP PK LK",
    "Southeast Asia": "BN KH TL ID LA MY MM PH SG TH VN CX CC",
    "East Asia": "CN HK MO JP KP KR MN TW",
    "Caucasus and Central Asia": "AM AZ GE KZ KG TJ TM UZ",
    "North America": "US CA BM GL PM UM",
    "Central America": "BZ CR SV GT HN MX NI PA",
    "Caribbean": "AN AG AI AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI",
    "South America": "AR BO BR CL CO EC FK GF GY PY PE SR UY VE GS",
    "Oceania": "AU NZ FJ PG SB VU NC PF WS TO KI FM MH NR PW TV CK NU TK WF AS GU MP NF PN HM",
    "Antarctica": "AQ BV TF",
}

GWNO = {
    "US": 2, "CA": 20, "BS": 31, "CU": 40, "HT": 41, "DO": 42, "JM": 51, "TT": 52, "BB": 53,
    "DM": 54, "GD": 55, "LC": 56, "VC": 57, "AG": 58, "KN": 60,
    "MX": 70, "BZ": 80, "GT": 90, "HN": 91, "SV": 92, "NI": 93, "CR": 94, "PA": 95,
    "CO": 100, "VE": 101, "GY": 110, "SR": 115, "EC": 130, "PE": 135, "BR": 140, "BO": 145,
    "PY": 150, "CL": 155, "AR": 160, "UY": 165,
    "GB": 200, "IE": 205, "NL": 210, "BE": 211, "LU": 212, "FR": 220, "CH": 225, "ES": 230,
    "PT": 235, "DE": 260, "PL": 290, "AT": 305, "HU": 310, "CZ": 316, "SK": 317, "IT": 325,
    "MT": 338, "AL": 339, "RS": 340, "ME": 341, "MK": 343, "HR": 344, "BA": 346, "XK": 347,
    "SI": 349, "GR": 350, "CY": 352, "BG": 355, "MD": 359, "RO": 360, "RU": 365, "EE": 366,
    "LV": 367, "LT": 368, "UA": 369, "BY": 370, "AM": 371, "GE": 372, "AZ": 373, "FI": 375,
    "SE": 380, "NO": 385, "DK": 390, "IS": 395,
    "CV": 402, "ST": 403, "GW": 404, "GQ": 411, "GM": 420, "ML": 432, "SN": 433, "BJ": 434,
    "MR": 435, "NE": 436, "CI": 437, "GN": 438, "BF": 439, "LR": 450, "SL": 451, "GH": 452,
    "TG": 461, "CM": 471, "NG": 475, "GA": 481, "CF": 482, "TD": 483, "CG": 484, "CD": 490,
    "UG": 500, "KE": 501, "TZ": 510, "BI": 516, "RW": 517, "SO": 520, "DJ": 522, "ET": 530,
    "ER": 531, "AO": 540, "MZ": 541, "ZM": 551, "ZW": 552, "MW": 553, "ZA": 560, "NA": 565,
    "LS": 570, "BW": 571, "SZ": 572, "MG": 580, "KM": 581, "MU": 590, "SC": 591, "MA": 600,
    "DZ": 615, "TN": 616, "LY": 620, "SD": 625, "SS": 626,
    "IR": 630, "TR": 640, "IQ": 645, "EG": 651, "SY": 652, "LB": 660, "JO": 663, "IL": 666,
    "SA": 670, "YE": 678, "KW": 690, "BH": 692, "QA": 694, "AE": 696, "OM": 698,
    "AF": 700, "TM": 701, "TJ": 702, "KG": 703, "UZ": 704, "KZ": 705, "CN": 710, "MN": 712,
    "TW": 713, "KP": 731, "KR": 732, "JP": 740, "IN": 750, "BT": 760, "PK": 770, "BD": 771,
    "MM": 775, "LK": 780, "MV": 781, "NP": 790, "TH": 800, "KH": 811, "LA": 812, "VN": 816,
    "MY": 820, "SG": 830, "BN": 835, "PH": 840, "ID": 850, "TL": 860,
    "AU": 900, "PG": 910, "NZ": 920, "VU": 935, "SB": 940, "FJ": 950,
}

# Short names both ACLED and UCDP use where GeoNames gives a longer or different form.
NAMES = {
    "CD": "Democratic Republic of Congo", "CG": "Republic of Congo", "CI": "Ivory Coast",
    "PS": "Palestine", "SZ": "eSwatini", "MM": "Myanmar", "KP": "North Korea",
    "KR": "South Korea", "SY": "Syria", "IR": "Iran", "RU": "Russia", "LA": "Laos",
    "VN": "Vietnam", "TL": "East Timor", "MK": "North Macedonia", "CZ": "Czech Republic",
    "VA": "Vatican City", "NL": "Netherlands", "BO": "Bolivia", "VE": "Venezuela", "TZ": "Tanzania", "MD": "Moldova",
}


def ucdp_region(code, gwno, acled):
    if gwno:
        if gwno < 200:
            return "Americas"
        if gwno < 400:
            return "Europe"
        if gwno < 630:
            return "Africa"
        if gwno < 700:
            return "Middle East"
        return "Asia"
    if acled.endswith("Africa"):
        return "Africa"
    if acled in ("North America", "Central America", "Caribbean", "South America"):
        return "Americas"
    if acled == "Middle East":
        return "Middle East"
    if acled == "Europe":
        return "Europe"
    if acled == "Antarctica":
        return ""
    return "Asia"


def main(path):
    region_of = {c: r for r, codes in REGIONS.items() for c in codes.split()}
    print("alpha2\talpha3\tnumeric\tname\tacled_region\tucdp_region\tgwno")
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        alpha2, alpha3, numeric, name, continent = f[0], f[1], f[2], f[4], f[8]
        acled = region_of.get(alpha2, "Europe" if continent == "EU" else "")
        if not acled:
            sys.exit(f"no ACLED region for {alpha2} {name}")
        gwno = GWNO.get(alpha2)
        name = NAMES.get(alpha2, name)
        print(f"{alpha2}\t{alpha3}\t{int(numeric)}\t{name}\t{acled}\t{ucdp_region(alpha2, gwno, acled)}\t{gwno or ''}")


if __name__ == "__main__":
    main(sys.argv[1])
