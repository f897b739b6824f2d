"""A simulated Tuya energy device on TCP, speaking the real local protocol, for tests and demos.

Frames are the real 55AA (protocols 3.1, 3.3, 3.4) and 6699 (3.5) frames, packed, checked and
encrypted with tinytuya's own helpers (pack_message, unpack_message, AESCipher), so the real
tinytuya client can talk to it:

- 3.1: plaintext status, AES-ECB + base64 + MD5 tag on CONTROL and on STATUS pushes.
- 3.3: AES-ECB with the local key, CRC32, "3.3" header on CONTROL and STATUS pushes.
- 3.4: session key negotiated first (commands 3/4/5), then AES-ECB with it, HMAC-SHA256.
- 3.5: the same negotiation, AES-GCM 6699 frames.

It answers DP_QUERY(_NEW), CONTROL(_NEW) (the relay DP switches the load), UPDATEDPS (fresh
measurement, then a STATUS push of the asked DPs, as plugs do) and HEART_BEAT. A request that does not
decrypt with the device's key gets retcode 1 and "data format error" in clear, as captured from real
plugs (rospogrigio/localtuya#1232). Unknown commands get no answer.

Values come from the shared Brazilian site model (meters.simulators.site, 127 V nominal unless its profile
says 220 V, 60 Hz, a load that follows the hour in Brasília time): a plug measures the site's 127 V circuit,
the bidirectional meter clamps phase L1 of the grid, where the rooftop PV makes power negative around noon.
Measurements refresh every REFRESH_S seconds of the site's clock, or at once on UPDATEDPS.

Layers: `dps` (the data-point layouts of each kind of device), `measurer` (the measuring model),
`session` (the protocol session and its crypto), `server` (the TCP server).
"""

from meters.simulators.tuya.dps import Reading
from meters.simulators.tuya.server import TuyaSimulator, tuya_simulator_serve

__all__ = ["Reading", "TuyaSimulator", "tuya_simulator_serve"]
