#!/usr/bin/env python3
"""Derives vigil's shipped gazetteer files from the GeoNames / Who's On First extracts.

Usage: python3 data/gazetteer/derive.py [SHARED_DATA_DIR] (default ../shared/data beside the repo)

Reads   gazetteer/places-XX.tsv.gz, cities500.tsv.gz, admin1CodesASCII.txt, admin2Codes.txt.gz,
        countryInfo.txt and basemap/countries-50m.json of SHARED_DATA_DIR.
Writes  places.tsv.gz, admins.tsv.gz and countries.tsv beside this script.

Deterministic: the same input gives byte-identical output (gzip mtime 0, sorted rows).
Rules (documented in README.md beside this script):
- Names are kept only in Latin and Arabic script (the scripts of the reports vigil reads);
  names of 1-4 capital letters (codes such as "SY", "DAM") and names with digits are dropped,
  and of names that differ only in case and diacritics the first is kept (vigil's keys fold both).
- The seven detailed countries come from places-XX (WOF rows, GeoNames values); cities500
  rows of the same GeoNames id are replaced by them. A WOF row without a GeoNames id is dropped
  when a row with an id and the same name lies within 15 km (WOF's duplicates such as Baniyas).
- Admin areas outside the detailed countries have no rows of their own: their representative
  point is the middle of the extent of their populated places (2nd to 98th percentile of
  latitude and longitude), computed here from cities500 and the detailed rows. Admin areas with
  no populated place get no point and are left out.
- Countries: the centroid on the sphere (computed in an equal-area projection) of the largest
  polygon of the country's Natural Earth 1:50m outline (the mainland), or for countries the
  outline file lacks, the middle of the extent of their populated places.
"""

import csv
import gzip
import io
import json
import math
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DETAILED = ["SY", "LB", "JO", "PS", "IL", "IQ", "TR"]


def shared_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    return os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data"))


def script_ok(name):
    """True when every letter of the name is Latin or Arabic script."""
    letters = 0
    for ch in name:
        if ch.isdigit():
            return False
        if not ch.isalpha():
            continue
        letters += 1
        cp = ord(ch)
        latin = cp < 0x250 or 0x1E00 <= cp <= 0x1EFF
        arabic = 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08FF or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF
        if not (latin or arabic):
            return False
    return letters >= 2


def is_code(name):
    return len(name) <= 4 and name.isupper() and name.isalpha() and all(ord(c) < 128 for c in name)


def fold(name):
    """Lowercase without diacritics: names that differ only so are one name to vigil's keys."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def clean_names(name, ascii_name, alternates):
    out = []
    seen = {fold(name)}
    for n in [ascii_name] + alternates.split(","):
        n = " ".join(n.replace("\u200e", "").replace("\u200f", "").replace("|", " ").replace("\t", " ").split())
        if not n or fold(n) in seen or len(n) > 60 or is_code(n) or not script_ok(n):
            continue
        seen.add(fold(n))
        out.append(n)
    return out


def haversine(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def read_tsv_gz(path):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        for row in reader:
            yield dict(zip(header, row))


def main():
    src = shared_dir()
    gz = os.path.join(src, "gazetteer")
    places = {}  # key -> row tuple
    order = []

    # Detailed countries first.
    for cc in DETAILED:
        rows = list(read_tsv_gz(os.path.join(gz, f"places-{cc}.tsv.gz")))
        with_id = {}
        for r in rows:
            if r["geonameid"]:
                with_id.setdefault(r["name"], []).append(r)
        for r in rows:
            if r["wof_placetype"] == "country":
                continue  # countries come from countries.tsv
            lat, lon = float(r["latitude"]), float(r["longitude"])
            if not r["geonameid"]:
                twins = [t for t in with_id.get(r["name"], []) if haversine(lat, lon, float(t["latitude"]), float(t["longitude"])) < 15]
                if twins:
                    continue
            key = r["geonameid"] or ("wof" + r["wof_id"])
            if key in places:
                continue
            fclass, fcode = r["feature_class"], r["feature_code"]
            if r["wof_placetype"] == "neighbourhood" and not fcode:
                fclass, fcode = "P", "PPLX"
            places[key] = (
                r["geonameid"], r["name"], round(lat, 5), round(lon, 5), fclass, fcode, cc,
                r["admin1_code"], r["admin2_code"], r["population"] or "0",
                clean_names(r["name"], r["asciiname"], r["alternatenames"]), "1" if r["is_current"] != "0" else "0",
            )
            order.append(key)

    # World layer.
    for r in read_tsv_gz(os.path.join(gz, "cities500.tsv.gz")):
        key = r["geonameid"]
        if key in places:
            continue
        places[key] = (
            r["geonameid"], r["name"], round(float(r["latitude"]), 5), round(float(r["longitude"]), 5),
            "P", r["feature_code"] or "PPL", r["country_code"], r["admin1_code"], r["admin2_code"],
            r["population"] or "0", clean_names(r["name"], r["asciiname"], r["alternatenames"]), "1",
        )
        order.append(key)

    # Admin areas: GeoNames code tables, with a representative point.
    admin1 = {}
    with open(os.path.join(gz, "admin1CodesASCII.txt"), encoding="utf-8") as f:
        for line in f:
            code, name, ascii_name, gid = line.rstrip("\n").split("\t")
            admin1[code] = (name, ascii_name, gid)
    admin2 = {}
    with gzip.open(os.path.join(gz, "admin2Codes.txt.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            code, name, ascii_name, gid = line.rstrip("\n").split("\t")
            admin2[code] = (name, ascii_name, gid)

    # Per admin code (and per country): the coordinates and populations of its populated places.
    members = {}
    for key in order:
        p = places[key]
        if p[4] != "P":
            continue
        for code in (f"{p[6]}.{p[7]}", f"{p[6]}.{p[7]}.{p[8]}" if p[8] else None, p[6]):
            if code is None:
                continue
            members.setdefault(code, []).append((p[2], p[3], int(p[9] or 0)))
    # The representative point of an area is the middle of the extent of its populated places
    # (2nd to 98th percentile of latitude and of longitude, so that one mis-coded place cannot
    # stretch it): the mean would be pulled toward the dense, usually one-sided, urban part.
    sums = {}
    for code, pts in members.items():
        lats = sorted(p[0] for p in pts)
        lons = sorted(p[1] for p in pts)
        lo, hi = int(0.02 * (len(pts) - 1)), int(round(0.98 * (len(pts) - 1)))
        lat = (lats[lo] + lats[hi]) / 2
        lon = (lons[lo] + lons[hi]) / 2
        # sums keeps the layout [lat * n, lon * n, n, population] used below.
        n = len(pts)
        sums[code] = [lat * n, lon * n, n, sum(p[2] for p in pts)]

    # Countries: centroid on the sphere of the largest polygon of the Natural Earth outline.
    numeric_to_iso = {}
    countries = []
    with open(os.path.join(gz, "countryInfo.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.count("\t") < 17:
                continue
            c = line.rstrip("\n").split("\t")
            numeric_to_iso[c[2].lstrip("0") or "0"] = c[0]
            countries.append(c)
    centroids = topo_centroids(os.path.join(src, "basemap", "countries-50m.json"), numeric_to_iso)

    with gzip.GzipFile(os.path.join(HERE, "places.tsv.gz"), "wb", mtime=0) as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        out.write("geonameid\tname\tlat\tlon\tfclass\tfcode\tcountry\tadmin1\tadmin2\tpopulation\tcurrent\tnames\n")
        for key in order:
            p = places[key]
            out.write("\t".join([p[0], p[1], f"{p[2]}", f"{p[3]}", p[4], p[5], p[6], p[7], p[8], p[9], p[11], "|".join(p[10])]) + "\n")
        out.flush()

    with gzip.GzipFile(os.path.join(HERE, "admins.tsv.gz"), "wb", mtime=0) as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        out.write("code\tgeonameid\tname\tasciiname\tlat\tlon\tplaces\tpopulation\n")
        for level, table in (("ADM1", admin1), ("ADM2", admin2)):
            for code, (name, ascii_name, gid) in sorted(table.items()):
                s = sums.get(code)
                if s:
                    lat, lon, n, pop = f"{round(s[0] / s[2], 5)}", f"{round(s[1] / s[2], 5)}", str(s[2]), str(s[3])
                else:
                    lat, lon, n, pop = "", "", "0", "0"
                out.write("\t".join([code, gid, name, ascii_name, lat, lon, n, pop]) + "\n")
        out.flush()

    with open(os.path.join(HERE, "countries.tsv"), "w", encoding="utf-8", newline="\n") as out:
        out.write("iso\tiso3\tgeonameid\tname\tcapital\tpopulation\tcontinent\tneighbours\tlat\tlon\tpoint\n")
        for c in countries:
            iso = c[0]
            if iso in centroids:
                lat, lon = centroids[iso]
                how = "outline"
            elif iso in sums:
                s = sums[iso]
                lat, lon = s[0] / s[2], s[1] / s[2]  # the middle of the extent, as for admin areas
                how = "places"
            else:
                continue
            out.write("\t".join([iso, c[1], c[16], c[4], c[5], c[7], c[8], c[17], f"{lat:.4f}", f"{lon:.4f}", how]) + "\n")
    print(f"places {len(order)}, admin codes {len(admin1) + len(admin2)}, countries {len(countries)}", file=sys.stderr)


def topo_centroids(path, numeric_to_iso):
    topo = json.load(open(path, encoding="utf-8"))
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(indices):
        pts = []
        for i in indices:
            a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            pts.extend(a if not pts else a[1:])
        # Unwrap longitudes so that a ring crossing the antimeridian (Russia, Fiji) stays
        # continuous; the centroid is wrapped back into [-180, 180) below.
        out = []
        for x, y in pts:
            if out:
                px = out[-1][0]
                while x - px > 180:
                    x -= 360
                while x - px < -180:
                    x += 360
            out.append((x, y))
        return out

    # The centroid is computed in the cylindrical equal-area projection (x = longitude, y = sine
    # of latitude; both in radians), where the area of a polygon is its area on the sphere: in
    # plain degrees a square degree near the pole would weigh as much as one at the equator, and
    # the centroid of a high-latitude country (Russia, Canada, Norway) would drift toward the
    # Arctic. A country may have several geometries in the file (Australia and its Ashmore and
    # Cartier Islands share a code): the largest polygon among all of them is kept.
    out = {}
    for g in topo["objects"]["countries"]["geometries"]:
        iso = numeric_to_iso.get(str(g.get("id", "")).lstrip("0"))
        if not iso or g["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polys = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        for poly in polys:
            outline = ring(poly[0])
            if max(x for x, _ in outline) - min(x for x, _ in outline) >= 359.0:
                # A ring that goes all the way round encloses a pole (Antarctica): the centre of
                # a polar cap is the pole.
                pole = -90.0 if sum(y for _, y in outline) < 0 else 90.0
                out[iso] = (math.inf, (pole, 0.0))
                continue
            pts = [(math.radians(x), math.sin(math.radians(y))) for x, y in outline]
            a = cx = cy = 0.0
            for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
                cross = x0 * y1 - x1 * y0
                a += cross
                cx += (x0 + x1) * cross
                cy += (y0 + y1) * cross
            if a == 0:
                continue
            area = abs(a / 2)
            lat = math.degrees(math.asin(max(-1.0, min(1.0, cy / (3 * a)))))
            lon = (math.degrees(cx / (3 * a)) + 180.0) % 360.0 - 180.0
            if iso not in out or area > out[iso][0]:
                out[iso] = (area, (lat, lon))
    return {iso: c for iso, (_, c) in out.items()}

if __name__ == "__main__":
    main()
