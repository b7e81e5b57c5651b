"""The atlas JSON API through the ASGI app: places, industries, spatial structure, geo."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

HEBEI_CITIES = [f"13{n:02d}00" for n in range(1, 12)]


def test_places_filtered_by_level(client: TestClient) -> None:
    body = client.get("/api/places", params={"level": "prefecture"}).json()
    assert [p["adcode"] for p in body["data"]] == HEBEI_CITIES
    assert body["count"] == 11
    provinces = client.get("/api/places", params={"level": "province"}).json()
    assert [p["name"] for p in provinces["data"]] == ["北京市", "天津市", "河北省"]
    everything = client.get("/api/places").json()
    assert everything["count"] == 214


def test_places_filtered_by_parent(client: TestClient) -> None:
    body = client.get("/api/places", params={"parent": "110000"}).json()
    assert body["count"] == 16
    assert {p["prefecture_unit"] for p in body["data"]} == {"110000"}
    hebei = client.get("/api/places", params={"parent": "130000"}).json()
    assert sorted(p["adcode"] for p in hebei["data"]) == [*HEBEI_CITIES, "133100"]
    both = client.get("/api/places", params={"parent": "130000", "level": "special"}).json()
    assert [p["name"] for p in both["data"]] == ["雄安新区"]


def test_bad_filters_are_422(client: TestClient) -> None:
    response = client.get("/api/places", params={"level": "city"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert client.get("/api/places", params={"parent": "13"}).status_code == 422


def test_one_place_with_children_and_relations(client: TestClient) -> None:
    body = client.get("/api/places/130200").json()
    assert body["name"] == "唐山市"
    assert body["short_name"] == "唐山"
    assert body["level"] == "prefecture"
    assert body["parent"] == "130000"
    assert "130209" in [child["adcode"] for child in body["children"]]
    related = body["related"]
    assert [c["slug"] for c in related["corridors"]] == ["beijing-tangshan-qinhuangdao-robotics"]
    assert [p["name"] for p in related["parks"]] == ["唐山高新区"]
    assert "caofeidian-demonstration-zone" in [p["slug"] for p in related["platforms"]]
    assert "robotics" in [i["slug"] for i in related["industries"]]


def test_special_area_place(client: TestClient) -> None:
    body = client.get("/api/places/133100").json()
    assert body["level"] == "special"
    assert body["administers"] == ["130638", "130629", "130632"]
    assert body["prefecture_unit"] == "133100"
    assert [p["slug"] for p in body["related"]["platforms"]] == ["xiongan-new-area"]


@pytest.mark.parametrize("adcode", ["999999", "130429"])
def test_unknown_place_is_404_json(client: TestClient, adcode: str) -> None:
    response = client.get(f"/api/places/{adcode}")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert adcode in error["message"]


def test_industries_list(client: TestClient) -> None:
    body = client.get("/api/industries").json()
    assert body["count"] == 9
    roles = {i["slug"]: i["roles"] for i in body["data"]}
    assert roles == {
        "hydrogen": ["chain"],
        "nev-icv": ["chain"],
        "cybersecurity": ["chain", "cluster"],
        "machine-tools": ["chain"],
        "biomedicine": ["chain", "cluster"],
        "robotics": ["chain"],
        "integrated-circuits": ["cluster"],
        "power-equipment": ["cluster"],
        "emergency-equipment": ["cluster"],
    }
    chains = [i["name"] for i in body["data"] if "chain" in i["roles"]]
    assert chains == [
        "氢能",
        "新能源和智能网联汽车",
        "网络安全",
        "高端工业母机",
        "生物医药",
        "机器人",
    ]
    hydrogen = body["data"][0]
    assert set(hydrogen["segments"][0]) == {"slug", "name", "stage"}
    assert hydrogen["segments"][0] == {
        "slug": "hydrogen-electrolyzer",
        "name": "电解槽装备",
        "stage": "upstream",
    }
    assert {"source": "hydrogen-fc-mea", "target": "hydrogen-fc-stack"} in [
        {"source": e["source"], "target": e["target"]} for e in hydrogen["edges"]
    ]


def test_one_industry_in_full(client: TestClient) -> None:
    body = client.get("/api/industries/hydrogen").json()
    assert body["name"] == "氢能"
    assert len(body["segments"]) == 22
    mea = next(s for s in body["segments"] if s["slug"] == "hydrogen-fc-mea")
    assert mea["stage"] == "midstream"
    assert "膜电极组件" in mea["keywords"]
    assert mea["gbt4754"] == [{"code": "3849", "name": "其他电池制造"}]
    assert "seed:002_9edae77716d51e3f.txt" in body["provenance"]["sources"]
    assert "beijing-zhangjiakou-chengde-green" in [c["slug"] for c in body["related"]["corridors"]]


def test_unknown_industry_is_404_json(client: TestClient) -> None:
    response = client.get("/api/industries/steel")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "产业 'steel' 不存在"}}


def test_corridors(client: TestClient) -> None:
    body = client.get("/api/corridors").json()
    assert body["count"] == 5
    assert [c["name"] for c in body["data"]] == [
        "京津新一代信息技术产业廊道",
        "京保石新能源装备产业廊道",
        "京唐秦机器人产业廊道",
        "京张承绿色算力和绿色能源产业廊道",
        "京雄空天信息产业廊道",
    ]
    xiong = body["data"][4]
    assert [p["short_name"] for p in xiong["places"]] == ["北京", "大兴", "雄安"]
    assert xiong["places"][0]["lon"] == pytest.approx(116.407394)


def test_belts(client: TestClient) -> None:
    body = client.get("/api/belts").json()
    assert body["count"] == 5
    assert [b["kind"] for b in body["data"]].count("park") == 1
    assert body["data"][-1]["name"] == "北京沧州渤海生物医药园"


def test_platforms(client: TestClient) -> None:
    body = client.get("/api/platforms").json()
    tiers = [p["tier"] for p in body["data"]]
    assert tiers.count("2") == 2 and tiers.count("4") == 4 and tiers.count("N") >= 5
    sub_centre = body["data"][0]
    assert sub_centre["name"] == "北京城市副中心"
    assert sub_centre["places"][0]["adcode"] == "110112"
    assert (sub_centre["lon"], sub_centre["lat"]) == (116.656434, 39.909946)
    airport = next(p for p in body["data"] if p["slug"] == "daxing-airport-economic-zone")
    assert (airport["lon"], airport["lat"]) == (116.41, 39.51)


def test_parks(client: TestClient) -> None:
    body = client.get("/api/parks").json()
    assert body["count"] == 9
    levels = [p["level"] for p in body["data"]]
    assert levels.count("national") == 7 and levels.count("provincial") == 2
    yanjiao = next(p for p in body["data"] if p["slug"] == "yanjiao-hitech")
    assert yanjiao["place"]["adcode"] == "131082"
    assert yanjiao["prefecture_unit"] == "131000"


def test_circles(client: TestClient) -> None:
    body = client.get("/api/circles").json()
    assert [c["name"] for c in body["data"]] == ["现代化首都都市圈", "天津都市圈", "石家庄都市圈"]
    assert [c["core"]["adcode"] for c in body["data"]] == ["110000", "120000", "130100"]


def test_geojson_of_prefecture_units(client: TestClient) -> None:
    response = client.get("/api/geo/places.geojson", params={"level": "prefecture"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    codes = [f["properties"]["adcode"] for f in body["features"]]
    assert codes == ["110000", "120000", *HEBEI_CITIES, "133100"]
    beijing = body["features"][0]["properties"]
    assert beijing == {
        "adcode": "110000",
        "name": "北京市",
        "short_name": "北京",
        "center": [116.407394, 39.904211],
    }
    assert client.get("/api/geo/places.geojson").json()["features"][0]["properties"]["name"]
    provinces = client.get("/api/geo/places.geojson", params={"level": "province"}).json()
    assert len(provinces["features"]) == 3
    assert client.get("/api/geo/places.geojson", params={"level": "county"}).status_code == 422


def test_pages_render(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200
    assert 'id="overview-map"' in home.text
    assert "/static/js/overview.js" in home.text
    assert "京唐秦机器人产业廊道" in home.text
    index = client.get("/chains")
    assert index.status_code == 200
    assert index.text.count('class="panel chain-card"') == 9
    detail = client.get("/chains/hydrogen")
    assert detail.status_code == 200
    assert 'data-slug="hydrogen"' in detail.text
    assert "膜电极" in detail.text and "电解槽装备" in detail.text
    missing = client.get("/chains/steel")
    assert missing.status_code == 404
    assert "text/html" in missing.headers["content-type"]
    for asset in ("/static/js/overview.js", "/static/js/chains.js", "/static/css/atlas.css"):
        assert client.get(asset).status_code == 200
