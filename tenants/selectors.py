from tenants.models import Client, PublicLink
from tenants.services import public_link_token_hash


def public_link_for_token(*, client: Client, token: str) -> PublicLink | None:
    """The client's link with this token; None for an unknown token, a revoked one or another client's."""
    return PublicLink.objects.filter(client=client, token_hash=public_link_token_hash(token)).first()
