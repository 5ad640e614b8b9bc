"""Config flow: log in for real before creating the entry; reauth and reconfigure.

The options flow links the account to the people and places that speak for it (the
Home Assistant users who are this account, the voice satellites and areas whose
requests are its), so that voice intents act for the speaker (`accounts.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_USERNAME, CONF_VERIFY_SSL
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    AreaSelector,
    AreaSelectorConfig,
    DeviceSelector,
    DeviceSelectorConfig,
    EntityFilterSelectorConfig,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol
from yarl import URL

from .accounts import OPTION_AREAS, OPTION_DEVICES, OPTION_USERS
from .const import CONF_PHONE_NUMBER, DOMAIN, LOGGER
from .xuc import XucAuthError, XucError, XucHttpsRequiredError

if TYPE_CHECKING:
    from collections.abc import Mapping

_URL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
_USERNAME_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.TEXT, autocomplete="username")
)
_PASSWORD_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
)
_PHONE_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.TEL))
# Devices that have an assist satellite entity: the voice satellites.
_SATELLITES_SELECTOR = DeviceSelector(
    DeviceSelectorConfig(
        entity=EntityFilterSelectorConfig(domain="assist_satellite"), multiple=True
    )
)
_AREAS_SELECTOR = AreaSelector(AreaSelectorConfig(multiple=True))


def _account_schema(defaults: Mapping[str, Any]) -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(
                CONF_URL, default=defaults.get(CONF_URL, vol.UNDEFINED)
            ): _URL_SELECTOR,
            vol.Required(
                CONF_VERIFY_SSL, default=defaults.get(CONF_VERIFY_SSL, True)
            ): bool,
            vol.Required(
                CONF_USERNAME, default=defaults.get(CONF_USERNAME, vol.UNDEFINED)
            ): _USERNAME_SELECTOR,
            vol.Required(CONF_PASSWORD): _PASSWORD_SELECTOR,
            vol.Optional(
                CONF_PHONE_NUMBER,
                description={"suggested_value": defaults.get(CONF_PHONE_NUMBER)},
            ): _PHONE_SELECTOR,
        }
    )


_REAUTH_SCHEMA = vol.Schema({vol.Required(CONF_PASSWORD): _PASSWORD_SELECTOR})


def account_unique_id(url: str, login: str) -> str:
    """One entry per account: the login on the server's host (scheme and port aside)."""
    return f"{login.strip().lower()}@{(URL(url.strip()).host or '').lower()}"


class XivoConfigFlow(ConfigFlow, domain=DOMAIN):
    """Ask for the xuc server and the user's credentials."""

    VERSION = 1
    MINOR_VERSION = 1

    # The address to enter instead, when the server redirected http:// to https://.
    _https_url: str | None = None

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> XivoOptionsFlow:
        """Who and what speaks for the account."""
        return XivoOptionsFlow()

    async def _async_try_account(
        self, data: dict[str, Any]
    ) -> tuple[dict[str, str], str | None]:
        """Open a real session with these settings; return form errors and a title.

        The title is the user's full name when the server tells it, else the login.
        """
        from . import create_client  # noqa: PLC0415 - the package imports this module

        try:
            client = create_client(self.hass, data)
        except ValueError:
            return {CONF_URL: "invalid_url"}, None
        try:
            await client.start()
        except XucAuthError:
            return {"base": "invalid_auth"}, None
        except XucHttpsRequiredError as err:
            self._https_url = err.url
            return {"base": "use_https"}, None
        except XucError as err:
            LOGGER.debug("Cannot connect to the xuc server: %s", err)
            return {"base": "cannot_connect"}, None
        except Exception:  # noqa: BLE001 - the form must show `unknown`, not crash
            LOGGER.exception("Unexpected error while connecting to the xuc server")
            return {"base": "unknown"}, None
        else:
            return {}, client.snapshot.user.full_name or data[CONF_USERNAME]
        finally:
            await client.stop()

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the server and the credentials, and check them for real."""
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = _clean(user_input)
            errors, title = await self._async_try_account(user_input)
            if not errors:
                await self.async_set_unique_id(
                    account_unique_id(user_input[CONF_URL], user_input[CONF_USERNAME])
                )
                self._abort_if_unique_id_configured()
                return self.async_create_entry(title=str(title), data=user_input)
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                _account_schema({}), _form_values(user_input)
            ),
            errors=errors,
            description_placeholders=self._placeholders(),
        )

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """The server refused the stored credentials: ask for the password again."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Check the new password, then reload the entry with it."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, CONF_PASSWORD: user_input[CONF_PASSWORD]}
            errors, _title = await self._async_try_account(data)
            if not errors:
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_PASSWORD: user_input[CONF_PASSWORD]}
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=_REAUTH_SCHEMA,
            errors=errors,
            description_placeholders=self._placeholders(
                {CONF_USERNAME: entry.data[CONF_USERNAME]}
            ),
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the server, TLS verification or credentials of the same account."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = _clean(user_input)
            errors, _title = await self._async_try_account(user_input)
            if not errors:
                await self.async_set_unique_id(
                    account_unique_id(user_input[CONF_URL], user_input[CONF_USERNAME])
                )
                self._abort_if_unique_id_mismatch(reason="unique_id_mismatch")
                return self.async_update_reload_and_abort(entry, data=user_input)
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                _account_schema(entry.data), _form_values(user_input)
            ),
            errors=errors,
            description_placeholders=self._placeholders(),
        )

    def _placeholders(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The form's placeholders: the HTTPS address the `use_https` error names."""
        return {"https_url": self._https_url or "https://", **(extra or {})}


class XivoOptionsFlow(OptionsFlow):
    """Link the account to Home Assistant users, voice satellites and areas.

    Home Assistant has no user selector: the users are a multiple select of the
    people who can log in (no system user, no deactivated one). A user linked before
    and deleted since is dropped from the suggested values, or the form would refuse
    to save. The links are read at each request, so no reload is needed.
    """

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the links; save them as the entry's options."""
        if user_input is not None:
            return self.async_create_entry(
                data={
                    option: list(user_input.get(option, []))
                    for option in (OPTION_USERS, OPTION_DEVICES, OPTION_AREAS)
                }
            )
        users = [
            user
            for user in await self.hass.auth.async_get_users()
            if not user.system_generated and user.is_active
        ]
        user_ids = {user.id for user in users}
        options = self.config_entry.options
        suggested = {
            OPTION_USERS: [
                user_id
                for user_id in options.get(OPTION_USERS, [])
                if user_id in user_ids
            ],
            OPTION_DEVICES: list(options.get(OPTION_DEVICES, [])),
            OPTION_AREAS: list(options.get(OPTION_AREAS, [])),
        }
        schema = vol.Schema(
            {
                vol.Optional(OPTION_USERS): SelectSelector(
                    SelectSelectorConfig(
                        options=[
                            SelectOptionDict(value=user.id, label=user.name or user.id)
                            for user in sorted(users, key=lambda u: u.name or u.id)
                        ],
                        multiple=True,
                        mode=SelectSelectorMode.DROPDOWN,
                    )
                ),
                vol.Optional(OPTION_DEVICES): _SATELLITES_SELECTOR,
                vol.Optional(OPTION_AREAS): _AREAS_SELECTOR,
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            description_placeholders={"account": self.config_entry.title},
        )


def _clean(user_input: dict[str, Any]) -> dict[str, Any]:
    """Trim the text fields; drop an empty phone number."""
    data = {
        CONF_URL: str(user_input[CONF_URL]).strip(),
        CONF_VERIFY_SSL: bool(user_input.get(CONF_VERIFY_SSL, True)),
        CONF_USERNAME: str(user_input[CONF_USERNAME]).strip(),
        CONF_PASSWORD: str(user_input[CONF_PASSWORD]),
    }
    if phone := str(user_input.get(CONF_PHONE_NUMBER) or "").strip():
        data[CONF_PHONE_NUMBER] = phone
    return data


def _form_values(user_input: Mapping[str, Any] | None) -> dict[str, Any]:
    """What a form shows again after an error: what was typed, but never the password.

    A phone number the user cleared stays cleared (it would otherwise fall back to the
    entry's old number, suggested when the form was first shown).
    """
    if user_input is None:
        return {}
    values = {key: value for key, value in user_input.items() if key != CONF_PASSWORD}
    values.setdefault(CONF_PHONE_NUMBER, "")
    return values
