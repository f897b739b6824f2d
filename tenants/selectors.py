from pieng.api.tokens import secret_token_hash
from tenants.models import Client, PublicLink


def public_link_for_token(*, client: Client, token: str) -> PublicLink | None:
    """The client's link with this token; None for an unknown token, a revoked one or another client's."""
    return PublicLink.objects.filter(client=client, token_hash=secret_token_hash(token)).first()
