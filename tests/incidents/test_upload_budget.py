"""The images of one request share a pixel budget, checked on their headers before any is
decoded: five images just under the per-image limit no longer keep a web worker busy for
seconds. Over the budget the reporter gets a Dutch error with everything typed still there,
and no melding or attachment is half made."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from incidents.attachments import PIXEL_BUDGET
from incidents.models import Attachment, Melding
from tests.incidents.factories import make_melding
from tests.incidents.helpers import form_data


def png(pixels, name):
    """A PNG of about ``pixels`` pixels (a gradient: small on disk, full cost to decode)."""
    side = int(pixels**0.5)
    out = io.BytesIO()
    Image.linear_gradient("L").resize((side, side)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def over_budget():
    """Five images, each well under the limit, together over the budget."""
    each = PIXEL_BUDGET // 5 + 200_000
    return [png(each, f"scherm{i}.png") for i in range(5)]


def test_images_over_the_budget_are_refused_in_dutch_and_the_form_keeps_its_text(
    client_for, raadslid_a, griffier_a
):
    client = client_for(raadslid_a)
    data = form_data(description="Hij schreeuwde dat hij me zou vinden", attachments=over_budget())
    response = client.post(reverse("incidents:new"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "samen te groot om in één keer te verwerken" in page
    assert "Hij schreeuwde dat hij me zou vinden" in page
    assert not Melding.objects.filter(reporter=raadslid_a).exists()
    # Sent again without the images, it is filed.
    data.pop("attachments")
    assert client.post(reverse("incidents:new"), data).status_code == 302
    assert Melding.objects.filter(reporter=raadslid_a).count() == 1


def test_adding_images_over_the_budget_to_a_melding_is_refused(client_for, raadslid_a, griffier_a):
    melding = make_melding(raadslid_a)
    client = client_for(raadslid_a)
    response = client.post(
        reverse("incidents:upload", args=[melding.pk]), {"attachments": over_budget()}, follow=True
    )
    assert "samen te groot" in response.content.decode()
    assert not Attachment.objects.filter(melding=melding).exists()


def test_images_within_the_budget_are_accepted(client_for, raadslid_a, griffier_a):
    client = client_for(raadslid_a)
    files = [png(PIXEL_BUDGET // 2 - 100_000, f"foto{i}.png") for i in range(2)]
    response = client.post(reverse("incidents:new"), form_data(attachments=files))
    assert response.status_code == 302
    melding = Melding.objects.get(reporter=raadslid_a)
    assert Attachment.objects.filter(melding=melding).count() == 2


def test_one_image_over_the_budget_gets_the_per_image_message(client_for, raadslid_a):
    client = client_for(raadslid_a)
    data = form_data(attachments=[png(PIXEL_BUDGET + 500_000, "groot.png")])
    page = client.post(reverse("incidents:new"), data).content.decode()
    assert "Deze afbeelding is te groot (meer dan 24 miljoen beeldpunten)" in page
    assert not Melding.objects.filter(reporter=raadslid_a).exists()
