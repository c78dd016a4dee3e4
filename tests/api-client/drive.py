"""Uses the Python client generated from /api/v1/openapi.json against a live
catalogue, as an integrator would: records the seed donation, uploads an image,
imports a register and patches the donor. Every call goes through the generated
operations and models; any answer other than the documented success fails.

    python3 drive.py BASE_URL TOKEN CLIENT_DIR REPO_DIR
"""

import io
import sys
import time

base, token, client_dir, repo = sys.argv[1:5]
sys.path.insert(0, client_dir)

from museum_catalogue_api_client import AuthenticatedClient  # noqa: E402
from museum_catalogue_api_client.api.artefacts import create_artefact, get_artefact  # noqa: E402
from museum_catalogue_api_client.api.donations import create_donation, get_donation, update_donation  # noqa: E402
from museum_catalogue_api_client.api.images import list_artefact_images, upload_artefact_image  # noqa: E402
from museum_catalogue_api_client.api.imports import import_file  # noqa: E402
from museum_catalogue_api_client.api.parties import create_party, get_party, update_party  # noqa: E402
from museum_catalogue_api_client.api.search import search  # noqa: E402
from museum_catalogue_api_client.models import (  # noqa: E402
    ArtefactInput,
    DonationChanges,
    DonationInput,
    ImageUploadForm,
    ImportForm,
    PartyChanges,
    PartyInput,
)
from museum_catalogue_api_client.types import File  # noqa: E402

client = AuthenticatedClient(base_url=base, token=token, raise_on_unexpected_status=True)
checks = 0


def expect(response, status):
    global checks
    assert response.status_code == status, f"{response.status_code}: {response.content[:500]!r}"
    assert response.parsed is not None, "the answer parses as the documented model"
    checks += 1
    return response.parsed


li_shucheng = expect(create_party.sync_detailed(client=client, body=PartyInput.from_dict(
    {"name": {"zh": "李书城", "en": "Li Shucheng"}})), 201)
donor = expect(create_party.sync_detailed(client=client, body=PartyInput.from_dict({
    "name": {"zh": "李振亚", "en": "Li Zhenya"},
    "relations": [{"kind": "descendant_of", "party_id": li_shucheng.id, "note": "李书城后人"}],
    "naming_consent": True,
    "credit_line": "李振亚先生捐赠",
})), 201)
donation = expect(create_donation.sync_detailed(client=client, body=DonationInput.from_dict({
    "number": 15, "year": 2023,
    "occasion": {"zh": "「有实其积」第15场捐赠仪式——李书城、薛文淑珍贵遗物捐赠专场"},
    "venue": "中共一大纪念馆初心讲堂", "donor_ids": [donor.id], "status": "received", "terms": "无偿捐赠",
})), 201)
reproduction = expect(create_artefact.sync_detailed(client=client, body=ArtefactInput.from_dict({
    "donation_id": donation.id, "title": {"zh": "《毛主席走遍全国》复制件"},
    "makers": [{"name": "李琦", "role": "原作作者"}], "category": "书法、绘画", "materials": ["纸"],
    "quantity": "1件", "status": "published",
    "reproduction": {"note": "按原件尺寸1:1印制，印量较少，为珍贵复制件", "original": "李琦《毛主席走遍全国》原作"},
})), 201)
scroll = expect(create_artefact.sync_detailed(client=client, body=ArtefactInput.from_dict({
    "donation_id": donation.id, "title": {"zh": "黎澍书陆游《村饮》诗"},
    "makers": [{"name": "黎澍", "role": "书写"}], "category": "书法、绘画", "date": "约1923年", "quantity": "1件",
    "inscriptions": [{"kind": "dedication", "text": "晓缘仁兄"}],
})), 201)
assert (reproduction.accession_number, scroll.accession_number) == ("2023.15.1", "2023.15.2")

# An image, through the multipart body the document describes.
with open(f"{repo}/tests/fixtures/images/hopper.jpg", "rb") as f:
    photo = f.read()
added = expect(upload_artefact_image.sync_detailed(
    accession=reproduction.accession_number, client=client,
    body=ImageUploadForm(file=File(payload=io.BytesIO(photo), file_name="scan.jpg", mime_type="image/jpeg"),
                         role="primary", caption_zh="正面"),
), 201)
images = expect(list_artefact_images.sync_detailed(accession=reproduction.accession_number, client=client), 200)
assert [i.id for i in images] == [added.image.id]

# A register, checked first and then imported.
with open(f"{repo}/tests/fixtures/seed/register.csv", "rb") as f:
    register = f.read()
form = lambda dry: ImportForm(file=File(payload=io.BytesIO(register), file_name="register.csv"), dry_run=dry)  # noqa: E731
checked = expect(import_file.sync_detailed(client=client, body=form(True)), 200)
assert checked.dry_run and checked.valid == 2, checked
imported = expect(import_file.sync_detailed(client=client, body=form(False)), 200)
assert imported.created + imported.updated + imported.unchanged == 2, imported
# The dry run said what the import then did.
said = lambda r: (r.created, r.updated, r.unchanged, r.donors_created, r.donations_created)  # noqa: E731
assert said(checked) == said(imported), (said(checked), said(imported))

# The donor and the donation, patched with the version read.
read = expect(get_party.sync_detailed(id=donor.id, client=client), 200)
patched = expect(update_party.sync_detailed(id=donor.id, client=client, body=PartyChanges.from_dict(
    {"version": read.version, "credit_line": "李振亚先生惠赠"})), 200)
assert patched.version == read.version + 1
assert get_party.sync_detailed(id=donor.id, client=client).parsed.credit_line == "李振亚先生惠赠"
read = expect(get_donation.sync_detailed(id=donation.id, client=client), 200)
expect(update_donation.sync_detailed(id=donation.id, client=client, body=DonationChanges.from_dict(
    {"version": read.version, "status": "accessioned"})), 200)
stale = update_party.sync_detailed(id=donor.id, client=client, body=PartyChanges.from_dict(
    {"version": patched.version - 1, "credit_line": "x"}))
assert stale.status_code == 409, stale.status_code
assert stale.parsed.code == "version_conflict", stale.parsed

found = expect(get_artefact.sync_detailed(accession="2023.15.2", client=client), 200)
assert found.title.zh == "黎澍书陆游《村饮》诗"
# Searchable once the indexer has followed the writes.
for _ in range(100):
    hits = expect(search.sync_detailed(client=client, q="村饮"), 200)
    if hits.total >= 1:
        break
    time.sleep(0.1)
assert "2023.15.2" in [h.accession for h in hits.hits], hits
print(f"generated client: {checks} calls answered as documented")
