"""The built-in email templates, per code and language; staff can override each one.

Every template declares the variables it *requires* (the caller must pass them), the ones it
*may* use (optional, ``None`` when not passed) and sample values for the dashboard's preview.
Templates are Jinja2 rendered in a sandbox; the HTML body is autoescaped. ``money`` formats
integer cents in the email's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TemplateSpec:
    """What one kind of email needs and what it looks like out of the box."""

    code: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    essential: tuple[str, ...]
    """Variables an edited template must still use (a reset email without its link is useless)."""
    sample: dict[str, Any]
    bodies: dict[str, dict[str, str]] = field(default_factory=dict)
    """``{language: {"subject", "body_html", "body_text"}}``."""

    @property
    def variables(self) -> tuple[str, ...]:
        return self.required + self.optional


# -- order confirmation --------------------------------------------------------------------

_ORDER_WORDS = {
    "en": {
        "subject": "Your order {{ order_number }} at {{ store_name }}",
        "hello": "Hello {{ customer_name }},",
        "intro": "thank you for your order. We have received it and will prepare it soon.",
        "number": "Order number",
        "item": "Item",
        "qty": "Qty",
        "amount": "Amount",
        "subtotal": "Subtotal",
        "shipping": "Shipping",
        "total": "Total (VAT included)",
        "view": "Follow your order here",
        "bye": "Kind regards,",
    },
    "de": {
        "subject": "Ihre Bestellung {{ order_number }} bei {{ store_name }}",
        "hello": "Hallo {{ customer_name }},",
        "intro": "vielen Dank für Ihre Bestellung. Wir haben sie erhalten und bereiten sie bald vor.",
        "number": "Bestellnummer",
        "item": "Artikel",
        "qty": "Menge",
        "amount": "Betrag",
        "subtotal": "Zwischensumme",
        "shipping": "Versand",
        "total": "Gesamtbetrag (inkl. MwSt.)",
        "view": "Hier können Sie Ihre Bestellung verfolgen",
        "bye": "Mit freundlichen Grüßen",
    },
    "fr": {
        "subject": "Votre commande {{ order_number }} chez {{ store_name }}",
        "hello": "Bonjour {{ customer_name }},",
        "intro": "merci pour votre commande. Nous l’avons bien reçue et la préparerons rapidement.",
        "number": "Numéro de commande",
        "item": "Article",
        "qty": "Qté",
        "amount": "Montant",
        "subtotal": "Sous-total",
        "shipping": "Livraison",
        "total": "Total (TVA comprise)",
        "view": "Suivez votre commande ici",
        "bye": "Cordialement,",
    },
    "lb": {
        "subject": "Är Bestellung {{ order_number }} bei {{ store_name }}",
        "hello": "Moien {{ customer_name }},",
        "intro": "merci fir Är Bestellung. Mir hunn se kritt a preparéieren se geschwënn.",
        "number": "Bestellnummer",
        "item": "Artikel",
        "qty": "Zuel",
        "amount": "Betrag",
        "subtotal": "Zwëschesumm",
        "shipping": "Liwwerung",
        "total": "Total (inkl. TVA)",
        "view": "Hei kënnt Dir Är Bestellung verfollegen",
        "bye": "Mat beschte Gréiss,",
    },
}

_ORDER_HTML = """<p>{hello}</p>
<p>{intro}</p>
<p><strong>{number}:</strong> {{{{ order_number }}}}</p>
<table cellpadding="6" cellspacing="0" border="1" style="border-collapse:collapse">
  <tr><th align="left">{item}</th><th align="right">{qty}</th><th align="right">{amount}</th></tr>
  {{% for item in items %}}
  <tr><td>{{{{ item.name }}}}</td><td align="right">{{{{ item.quantity }}}}</td><td align="right">{{{{ item.line_total_cents|money }}}}</td></tr>
  {{% endfor %}}
  {{% if subtotal_cents is not none %}}<tr><td colspan="2">{subtotal}</td><td align="right">{{{{ subtotal_cents|money }}}}</td></tr>{{% endif %}}
  {{% if shipping_cents is not none %}}<tr><td colspan="2">{shipping}</td><td align="right">{{{{ shipping_cents|money }}}}</td></tr>{{% endif %}}
  <tr><td colspan="2"><strong>{total}</strong></td><td align="right"><strong>{{{{ total_cents|money }}}}</strong></td></tr>
</table>
{{% if order_url %}}<p><a href="{{{{ order_url }}}}">{view}</a></p>{{% endif %}}
<p>{bye}<br>{{{{ store_name }}}}</p>
"""

_ORDER_TEXT = """{hello}

{intro}

{number}: {{{{ order_number }}}}

{{% for item in items %}}- {{{{ item.quantity }}}} × {{{{ item.name }}}}: {{{{ item.line_total_cents|money }}}}
{{% endfor %}}
{{% if subtotal_cents is not none %}}{subtotal}: {{{{ subtotal_cents|money }}}}
{{% endif %}}{{% if shipping_cents is not none %}}{shipping}: {{{{ shipping_cents|money }}}}
{{% endif %}}{total}: {{{{ total_cents|money }}}}
{{% if order_url %}}
{view}: {{{{ order_url }}}}
{{% endif %}}

{bye}
{{{{ store_name }}}}
"""

# -- payment received ----------------------------------------------------------------------

_PAID_WORDS = {
    "en": {
        "subject": "Payment received for your order {{ order_number }} at {{ store_name }}",
        "hello": "Hello {{ customer_name }},",
        "intro": "we have received your payment of {{ total_cents|money }} for order {{ order_number }}. Thank you!",
        "next": "We are now preparing your order and will let you know when it is on its way.",
        "view": "Follow your order here",
        "bye": "Kind regards,",
    },
    "de": {
        "subject": "Zahlung für Ihre Bestellung {{ order_number }} bei {{ store_name }} erhalten",
        "hello": "Hallo {{ customer_name }},",
        "intro": "wir haben Ihre Zahlung über {{ total_cents|money }} für die Bestellung {{ order_number }} erhalten. Vielen Dank!",
        "next": "Wir bereiten Ihre Bestellung jetzt vor und geben Ihnen Bescheid, sobald sie unterwegs ist.",
        "view": "Hier können Sie Ihre Bestellung verfolgen",
        "bye": "Mit freundlichen Grüßen",
    },
    "fr": {
        "subject": "Paiement reçu pour votre commande {{ order_number }} chez {{ store_name }}",
        "hello": "Bonjour {{ customer_name }},",
        "intro": "nous avons bien reçu votre paiement de {{ total_cents|money }} pour la commande {{ order_number }}. Merci !",
        "next": "Nous préparons maintenant votre commande et vous préviendrons dès qu’elle sera en route.",
        "view": "Suivez votre commande ici",
        "bye": "Cordialement,",
    },
    "lb": {
        "subject": "Bezuelung fir Är Bestellung {{ order_number }} bei {{ store_name }} kritt",
        "hello": "Moien {{ customer_name }},",
        "intro": "mir hunn Är Bezuelung vun {{ total_cents|money }} fir d’Bestellung {{ order_number }} kritt. Villmools merci!",
        "next": "Mir preparéieren elo Är Bestellung a soen Iech Bescheed, soubal se ënnerwee ass.",
        "view": "Hei kënnt Dir Är Bestellung verfollegen",
        "bye": "Mat beschte Gréiss,",
    },
}

_PAID_HTML = """<p>{hello}</p>
<p>{intro}</p>
<p>{next}</p>
{{% if order_url %}}<p><a href="{{{{ order_url }}}}">{view}</a></p>{{% endif %}}
<p>{bye}<br>{{{{ store_name }}}}</p>
"""

_PAID_TEXT = """{hello}

{intro}

{next}
{{% if order_url %}}
{view}: {{{{ order_url }}}}
{{% endif %}}

{bye}
{{{{ store_name }}}}
"""

# -- password reset ------------------------------------------------------------------------

_RESET_WORDS = {
    "en": {
        "subject": "Reset your password at {{ store_name }}",
        "hello": "Hello {{ customer_name }},",
        "intro": "someone asked to reset the password of your account. Choose a new one here:",
        "button": "Choose a new password",
        "expires": "The link is valid for {{ expires_hours }} hours.",
        "ignore": "If you did not ask for this, ignore this email: your password stays the same.",
        "bye": "Kind regards,",
    },
    "de": {
        "subject": "Passwort zurücksetzen bei {{ store_name }}",
        "hello": "Hallo {{ customer_name }},",
        "intro": "jemand hat das Zurücksetzen des Passworts Ihres Kontos angefordert. Wählen Sie hier ein neues:",
        "button": "Neues Passwort wählen",
        "expires": "Der Link ist {{ expires_hours }} Stunden gültig.",
        "ignore": "Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.",
        "bye": "Mit freundlichen Grüßen",
    },
    "fr": {
        "subject": "Réinitialisez votre mot de passe chez {{ store_name }}",
        "hello": "Bonjour {{ customer_name }},",
        "intro": "une réinitialisation du mot de passe de votre compte a été demandée. Choisissez-en un nouveau ici :",
        "button": "Choisir un nouveau mot de passe",
        "expires": "Le lien est valable {{ expires_hours }} heures.",
        "ignore": "Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : votre mot de passe reste inchangé.",
        "bye": "Cordialement,",
    },
    "lb": {
        "subject": "Äert Passwuert bei {{ store_name }} zrécksetzen",
        "hello": "Moien {{ customer_name }},",
        "intro": "et gouf gefrot, d’Passwuert vun Ärem Kont zréckzesetzen. Sicht Iech hei en neit eraus:",
        "button": "Neit Passwuert wielen",
        "expires": "De Link ass {{ expires_hours }} Stonne gëlteg.",
        "ignore": "Wann Dir dat net gefrot hutt, ignoréiert dës E-Mail: Äert Passwuert bleift d’selwecht.",
        "bye": "Mat beschte Gréiss,",
    },
}

_RESET_HTML = """<p>{hello}</p>
<p>{intro}</p>
<p><a href="{{{{ reset_url }}}}">{button}</a></p>
{{% if expires_hours %}}<p>{expires}</p>{{% endif %}}
<p>{ignore}</p>
<p>{bye}<br>{{{{ store_name }}}}</p>
"""

_RESET_TEXT = """{hello}

{intro}
{{{{ reset_url }}}}
{{% if expires_hours %}}
{expires}
{{% endif %}}

{ignore}

{bye}
{{{{ store_name }}}}
"""

# -- welcome -------------------------------------------------------------------------------

_WELCOME_WORDS = {
    "en": {
        "subject": "Welcome to {{ store_name }}",
        "hello": "Hello {{ customer_name }},",
        "intro": "your account at {{ store_name }} is ready. You can now follow your orders and check out faster.",
        "button": "Sign in",
        "bye": "See you soon,",
    },
    "de": {
        "subject": "Willkommen bei {{ store_name }}",
        "hello": "Hallo {{ customer_name }},",
        "intro": "Ihr Konto bei {{ store_name }} ist eingerichtet. Sie können jetzt Ihre Bestellungen verfolgen und schneller bestellen.",
        "button": "Anmelden",
        "bye": "Bis bald,",
    },
    "fr": {
        "subject": "Bienvenue chez {{ store_name }}",
        "hello": "Bonjour {{ customer_name }},",
        "intro": "votre compte chez {{ store_name }} est prêt. Vous pouvez maintenant suivre vos commandes et commander plus vite.",
        "button": "Se connecter",
        "bye": "À bientôt,",
    },
    "lb": {
        "subject": "Wëllkomm bei {{ store_name }}",
        "hello": "Moien {{ customer_name }},",
        "intro": "Äre Kont bei {{ store_name }} ass prett. Dir kënnt elo Är Bestellunge verfollegen a méi séier bestellen.",
        "button": "Umellen",
        "bye": "Bis geschwënn,",
    },
}

_WELCOME_HTML = """<p>{hello}</p>
<p>{intro}</p>
{{% if login_url %}}<p><a href="{{{{ login_url }}}}">{button}</a></p>{{% endif %}}
<p>{bye}<br>{{{{ store_name }}}}</p>
"""

_WELCOME_TEXT = """{hello}

{intro}
{{% if login_url %}}
{button}: {{{{ login_url }}}}
{{% endif %}}

{bye}
{{{{ store_name }}}}
"""

# -- a staff reply to a customer's message -------------------------------------------------

_REPLY_WORDS = {
    "en": {
        "subject": "Re: {{ conversation_subject }} – {{ store_name }}",
        "hello": "Hello {{ customer_name }},",
        "intro": "{{ store_name }} answered your message “{{ conversation_subject }}”:",
        "button": "Read and answer",
        "note": "Please answer through your account rather than by replying to this email.",
        "bye": "Kind regards,",
    },
    "de": {
        "subject": "AW: {{ conversation_subject }} – {{ store_name }}",
        "hello": "Hallo {{ customer_name }},",
        "intro": "{{ store_name }} hat auf Ihre Nachricht „{{ conversation_subject }}“ geantwortet:",
        "button": "Lesen und antworten",
        "note": "Bitte antworten Sie über Ihr Kundenkonto und nicht auf diese E-Mail.",
        "bye": "Mit freundlichen Grüßen",
    },
    "fr": {
        "subject": "Re : {{ conversation_subject }} – {{ store_name }}",
        "hello": "Bonjour {{ customer_name }},",
        "intro": "{{ store_name }} a répondu à votre message « {{ conversation_subject }} » :",
        "button": "Lire et répondre",
        "note": "Merci de répondre depuis votre compte plutôt qu’à cet e-mail.",
        "bye": "Cordialement,",
    },
    "lb": {
        "subject": "Äntw.: {{ conversation_subject }} – {{ store_name }}",
        "hello": "Moien {{ customer_name }},",
        "intro": "{{ store_name }} huet op Äre Message „{{ conversation_subject }}“ geäntwert:",
        "button": "Liesen an äntweren",
        "note": "Äntwert w.e.g. iwwer Äre Kont an net op dës E-Mail.",
        "bye": "Mat beschte Gréiss,",
    },
}

_REPLY_HTML = """<p>{hello}</p>
<p>{intro}</p>
<blockquote style="border-left:3px solid #ccc;margin:0;padding:0 12px;white-space:pre-line">{{{{ reply_text }}}}</blockquote>
{{% if conversation_url %}}<p><a href="{{{{ conversation_url }}}}">{button}</a></p>
<p>{note}</p>{{% endif %}}
<p>{bye}<br>{{{{ store_name }}}}</p>
"""

_REPLY_TEXT = """{hello}

{intro}

{{{{ reply_text }}}}
{{% if conversation_url %}}

{button}: {{{{ conversation_url }}}}
{note}
{{% endif %}}

{bye}
{{{{ store_name }}}}
"""


# -- staff password reset ---------------------------------------------------------------------

_STAFF_RESET_WORDS = {
    "en": {
        "subject": "Reset your password for {{ place_name }}",
        "hello": "Hello {{ user_name }},",
        "intro": "someone asked to reset the password you use to sign in to {{ place_name }}. Choose a new one here:",
        "button": "Choose a new password",
        "expires": "The link is valid for {{ expires_hours }} hour(s) and works once.",
        "ignore": "If you did not ask for this, ignore this email: your password stays the same.",
    },
    "de": {
        "subject": "Passwort für {{ place_name }} zurücksetzen",
        "hello": "Hallo {{ user_name }},",
        "intro": "jemand hat das Zurücksetzen Ihres Passworts für {{ place_name }} angefordert. Wählen Sie hier ein neues:",
        "button": "Neues Passwort wählen",
        "expires": "Der Link ist {{ expires_hours }} Stunde(n) gültig und funktioniert einmal.",
        "ignore": "Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.",
    },
    "fr": {
        "subject": "Réinitialisez votre mot de passe pour {{ place_name }}",
        "hello": "Bonjour {{ user_name }},",
        "intro": "une réinitialisation du mot de passe que vous utilisez pour {{ place_name }} a été demandée. Choisissez-en un nouveau ici :",
        "button": "Choisir un nouveau mot de passe",
        "expires": "Le lien est valable {{ expires_hours }} heure(s) et ne sert qu’une fois.",
        "ignore": "Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : votre mot de passe reste inchangé.",
    },
    "lb": {
        "subject": "Äert Passwuert fir {{ place_name }} zrécksetzen",
        "hello": "Moien {{ user_name }},",
        "intro": "et gouf gefrot, d’Passwuert zréckzesetzen, mat deem Dir Iech bei {{ place_name }} umellt. Sicht Iech hei en neit eraus:",
        "button": "Neit Passwuert wielen",
        "expires": "De Link ass {{ expires_hours }} Stonn(en) gëlteg a funktionéiert eng Kéier.",
        "ignore": "Wann Dir dat net gefrot hutt, ignoréiert dës E-Mail: Äert Passwuert bleift d’selwecht.",
    },
}

_STAFF_RESET_HTML = """<p>{hello}</p>
<p>{intro}</p>
<p><a href="{{{{ reset_url }}}}">{button}</a></p>
{{% if expires_hours %}}<p>{expires}</p>{{% endif %}}
<p>{ignore}</p>
"""

_STAFF_RESET_TEXT = """{hello}

{intro}
{{{{ reset_url }}}}
{{% if expires_hours %}}
{expires}
{{% endif %}}

{ignore}
"""


_INVITE_WORDS = {
    "en": {
        "subject": "{{ inviter_name }} invites you to the team of {{ store_name }}",
        "hello": "Hello{% if invitee_name %} {{ invitee_name }}{% endif %},",
        "intro": "{{ inviter_name }} invites you to work in the dashboard of {{ store_name }}. Accept the invitation and choose your password here:",
        "button": "Join the team",
        "expires": "The link is valid for {{ expires_hours }} hours and works once.",
        "ignore": "If you do not know this shop, ignore this email: nothing happens without you.",
    },
    "de": {
        "subject": "{{ inviter_name }} lädt Sie ins Team von {{ store_name }} ein",
        "hello": "Hallo{% if invitee_name %} {{ invitee_name }}{% endif %},",
        "intro": "{{ inviter_name }} lädt Sie ein, im Dashboard von {{ store_name }} mitzuarbeiten. Nehmen Sie die Einladung hier an und wählen Sie Ihr Passwort:",
        "button": "Dem Team beitreten",
        "expires": "Der Link ist {{ expires_hours }} Stunden gültig und funktioniert einmal.",
        "ignore": "Wenn Sie diesen Shop nicht kennen, ignorieren Sie diese E-Mail: Ohne Sie geschieht nichts.",
    },
    "fr": {
        "subject": "{{ inviter_name }} vous invite dans l’équipe de {{ store_name }}",
        "hello": "Bonjour{% if invitee_name %} {{ invitee_name }}{% endif %},",
        "intro": "{{ inviter_name }} vous invite à travailler dans le tableau de bord de {{ store_name }}. Acceptez l’invitation et choisissez votre mot de passe ici :",
        "button": "Rejoindre l’équipe",
        "expires": "Le lien est valable {{ expires_hours }} heures et ne sert qu’une fois.",
        "ignore": "Si vous ne connaissez pas cette boutique, ignorez cet e-mail : rien ne se passe sans vous.",
    },
    "lb": {
        "subject": "{{ inviter_name }} invitéiert Iech an d’Team vu {{ store_name }}",
        "hello": "Moien{% if invitee_name %} {{ invitee_name }}{% endif %},",
        "intro": "{{ inviter_name }} invitéiert Iech, am Dashboard vu {{ store_name }} matzeschaffen. Huelt d’Invitatioun hei un a sicht Iech Äert Passwuert eraus:",
        "button": "An d’Team kommen",
        "expires": "De Link ass {{ expires_hours }} Stonne gëlteg a funktionéiert eng Kéier.",
        "ignore": "Wann Dir dëse Buttek net kennt, ignoréiert dës E-Mail: ouni Iech geschitt näischt.",
    },
}

_INVITE_HTML = """<p>{hello}</p>
<p>{intro}</p>
<p><a href="{{{{ accept_url }}}}">{button}</a></p>
{{% if expires_hours %}}<p>{expires}</p>{{% endif %}}
<p>{ignore}</p>
"""

_INVITE_TEXT = """{hello}

{intro}
{{{{ accept_url }}}}
{{% if expires_hours %}}
{expires}
{{% endif %}}

{ignore}
"""


# -- confirming an address (guest orders into the account, a new e-mail address) ----------------

_CONFIRM_WORDS = {
    "en": {
        "subject": "{% if purpose == 'email_change' %}Confirm your new e-mail address{% else %}Add your orders to your account{% endif %} – {{ store_name }}",
        "hello": "Hello {{ customer_name }},",
        "intro_orders": "Orders were placed at {{ store_name }} with this e-mail address without signing in. To see them in your account, confirm that this address is yours:",
        "intro_change": "You asked {{ store_name }} to use this address for your account. Confirm it to make the change:",
        "button_orders": "Add the orders to my account",
        "button_change": "Confirm my new address",
        "expires": "The link is valid for {{ expires_hours }} hours and works once.",
        "ignore": "If you did not ask for this, ignore this email: nothing changes without you.",
    },
    "de": {
        "subject": "{% if purpose == 'email_change' %}Bestätigen Sie Ihre neue E-Mail-Adresse{% else %}Fügen Sie Ihre Bestellungen Ihrem Konto hinzu{% endif %} – {{ store_name }}",
        "hello": "Hallo {{ customer_name }},",
        "intro_orders": "Bei {{ store_name }} wurden mit dieser E-Mail-Adresse Bestellungen ohne Anmeldung aufgegeben. Um sie in Ihrem Konto zu sehen, bestätigen Sie, dass diese Adresse Ihnen gehört:",
        "intro_change": "Sie haben {{ store_name }} gebeten, diese Adresse für Ihr Konto zu verwenden. Bestätigen Sie sie, damit die Änderung gilt:",
        "button_orders": "Bestellungen meinem Konto hinzufügen",
        "button_change": "Neue Adresse bestätigen",
        "expires": "Der Link ist {{ expires_hours }} Stunden gültig und funktioniert einmal.",
        "ignore": "Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: ohne Sie ändert sich nichts.",
    },
    "fr": {
        "subject": "{% if purpose == 'email_change' %}Confirmez votre nouvelle adresse e-mail{% else %}Ajoutez vos commandes à votre compte{% endif %} – {{ store_name }}",
        "hello": "Bonjour {{ customer_name }},",
        "intro_orders": "Des commandes ont été passées chez {{ store_name }} avec cette adresse e-mail sans connexion. Pour les voir dans votre compte, confirmez que cette adresse est la vôtre :",
        "intro_change": "Vous avez demandé à {{ store_name }} d'utiliser cette adresse pour votre compte. Confirmez-la pour que le changement s'applique :",
        "button_orders": "Ajouter les commandes à mon compte",
        "button_change": "Confirmer ma nouvelle adresse",
        "expires": "Le lien est valable {{ expires_hours }} heures et fonctionne une fois.",
        "ignore": "Si vous n'avez rien demandé, ignorez cet e-mail : rien ne change sans vous.",
    },
    "lb": {
        "subject": "{% if purpose == 'email_change' %}Confirméiert Är nei E-Mail-Adress{% else %}Setzt Är Bestellungen an Äre Kont{% endif %} – {{ store_name }}",
        "hello": "Moien {{ customer_name }},",
        "intro_orders": "Bei {{ store_name }} goufe mat dëser E-Mail-Adress Bestellungen ouni Umeldung gemaach. Fir se an Ärem Kont ze gesinn, confirméiert, datt dës Adress Är ass:",
        "intro_change": "Dir hutt {{ store_name }} gefrot, dës Adress fir Äre Kont ze benotzen. Confirméiert se, fir datt d'Ännerung gëllt:",
        "button_orders": "Bestellungen a mäi Kont setzen",
        "button_change": "Nei Adress confirméieren",
        "expires": "De Link ass {{ expires_hours }} Stonne gëlteg a funktionéiert eng Kéier.",
        "ignore": "Wann Dir dat net gefrot hutt, ignoréiert dës E-Mail: ouni Iech ännert näischt.",
    },
}

_CONFIRM_HTML = """<p>{hello}</p>
<p>{{% if purpose == 'email_change' %}}{intro_change}{{% else %}}{intro_orders}{{% endif %}}</p>
<p><a href="{{{{ confirm_url }}}}">{{% if purpose == 'email_change' %}}{button_change}{{% else %}}{button_orders}{{% endif %}}</a></p>
{{% if expires_hours %}}<p>{expires}</p>{{% endif %}}
<p>{ignore}</p>
"""

_CONFIRM_TEXT = """{hello}

{{% if purpose == 'email_change' %}}{intro_change}{{% else %}}{intro_orders}{{% endif %}}
{{{{ confirm_url }}}}
{{% if expires_hours %}}
{expires}
{{% endif %}}

{ignore}
"""


# -- an unpaid order will be cancelled ---------------------------------------------------------

_REMINDER_WORDS = {
    "en": {
        "subject": "Your order {{ order_number }} at {{ store_name }} waits for its payment",
        "hello": "Hello {{ customer_name }},",
        "intro": "we have not received the payment of {{ total_cents|money }} for your order {{ order_number }} yet. We keep the goods for you until {{ cancel_at }}; after that the order is cancelled.",
        "button": "See how to pay",
        "paid": "If you have paid in the meantime, thank you: nothing more to do.",
    },
    "de": {
        "subject": "Ihre Bestellung {{ order_number }} bei {{ store_name }} wartet auf die Zahlung",
        "hello": "Hallo {{ customer_name }},",
        "intro": "die Zahlung von {{ total_cents|money }} für Ihre Bestellung {{ order_number }} ist noch nicht eingegangen. Wir halten die Ware bis {{ cancel_at }} für Sie bereit; danach wird die Bestellung storniert.",
        "button": "So bezahlen Sie",
        "paid": "Falls Sie inzwischen bezahlt haben, danke: Sie müssen nichts weiter tun.",
    },
    "fr": {
        "subject": "Votre commande {{ order_number }} chez {{ store_name }} attend son paiement",
        "hello": "Bonjour {{ customer_name }},",
        "intro": "nous n'avons pas encore reçu le paiement de {{ total_cents|money }} pour votre commande {{ order_number }}. Nous vous réservons les articles jusqu'au {{ cancel_at }} ; ensuite la commande est annulée.",
        "button": "Voir comment payer",
        "paid": "Si vous avez payé entre-temps, merci : vous n'avez rien d'autre à faire.",
    },
    "lb": {
        "subject": "Är Bestellung {{ order_number }} bei {{ store_name }} waart op d'Bezuelung",
        "hello": "Moien {{ customer_name }},",
        "intro": "mir hunn d'Bezuelung vu(n) {{ total_cents|money }} fir Är Bestellung {{ order_number }} nach net kritt. Mir halen d'Wuer bis {{ cancel_at }} fir Iech zeréck; duerno gëtt d'Bestellung annuléiert.",
        "button": "Esou bezuelt Dir",
        "paid": "Wann Dir zanterhier bezuelt hutt, merci: Dir musst näischt méi maachen.",
    },
}

_REMINDER_HTML = """<p>{hello}</p>
<p>{intro}</p>
<p><a href="{{{{ order_url }}}}">{button}</a></p>
<p>{paid}</p>
"""

_REMINDER_TEXT = """{hello}

{intro}
{button}: {{{{ order_url }}}}

{paid}
"""


# -- a step of a store's subscription (billing) ----------------------------------------------

_SUBSCRIPTION_WORDS = {
    "en": {
        "invoice_issued_subject": "Invoice {{ invoice_number }} for {{ store_name }}",
        "payment_overdue_subject": "Invoice {{ invoice_number }} for {{ store_name }} is overdue",
        "read_only_subject": "{{ store_name }} is now read-only",
        "restored_subject": "{{ store_name }} is back in good standing",
        "payment_received_subject": "Payment received: invoice {{ invoice_number }}",
        "hello": "Hello,",
        "invoice_issued": "the platform has issued invoice {{ invoice_number }} of {{ total_cents|money }} for {{ store_name }}, due on {{ due_date }}.",
        "payment_overdue": "invoice {{ invoice_number }} of {{ total_cents|money }} for {{ store_name }} was due on {{ due_date }} and is still unpaid. Please pay it by {{ read_only_date }}: after that date your team can still see the shop but no longer change it.",
        "read_only": "invoice {{ invoice_number }} of {{ total_cents|money }} is still unpaid, so {{ store_name }} is now read-only for its staff. Paying the invoice lifts this at once.",
        "restored": "nothing is overdue any more for {{ store_name }}: your team can work as before. Thank you.",
        "payment_received": "we received {{ total_cents|money }} for invoice {{ invoice_number }} of {{ store_name }}. Thank you.",
        "button": "Open Plan & billing",
    },
    "de": {
        "invoice_issued_subject": "Rechnung {{ invoice_number }} für {{ store_name }}",
        "payment_overdue_subject": "Rechnung {{ invoice_number }} für {{ store_name }} ist überfällig",
        "read_only_subject": "{{ store_name }} ist jetzt schreibgeschützt",
        "restored_subject": "{{ store_name }} ist wieder freigegeben",
        "payment_received_subject": "Zahlung erhalten: Rechnung {{ invoice_number }}",
        "hello": "Guten Tag,",
        "invoice_issued": "die Plattform hat für {{ store_name }} die Rechnung {{ invoice_number }} über {{ total_cents|money }} ausgestellt, fällig am {{ due_date }}.",
        "payment_overdue": "die Rechnung {{ invoice_number }} über {{ total_cents|money }} für {{ store_name }} war am {{ due_date }} fällig und ist noch offen. Bitte bezahlen Sie bis zum {{ read_only_date }}: danach kann Ihr Team den Shop zwar ansehen, aber nicht mehr ändern.",
        "read_only": "die Rechnung {{ invoice_number }} über {{ total_cents|money }} ist weiterhin offen, daher ist {{ store_name }} für das Team jetzt schreibgeschützt. Mit der Zahlung wird das sofort aufgehoben.",
        "restored": "für {{ store_name }} ist nichts mehr überfällig: Ihr Team kann wie gewohnt arbeiten. Vielen Dank.",
        "payment_received": "wir haben {{ total_cents|money }} für die Rechnung {{ invoice_number }} von {{ store_name }} erhalten. Vielen Dank.",
        "button": "Tarif & Abrechnung öffnen",
    },
    "fr": {
        "invoice_issued_subject": "Facture {{ invoice_number }} pour {{ store_name }}",
        "payment_overdue_subject": "La facture {{ invoice_number }} de {{ store_name }} est en retard",
        "read_only_subject": "{{ store_name }} est maintenant en lecture seule",
        "restored_subject": "{{ store_name }} est de nouveau en règle",
        "payment_received_subject": "Paiement reçu : facture {{ invoice_number }}",
        "hello": "Bonjour,",
        "invoice_issued": "la plateforme a émis la facture {{ invoice_number }} de {{ total_cents|money }} pour {{ store_name }}, à payer avant le {{ due_date }}.",
        "payment_overdue": "la facture {{ invoice_number }} de {{ total_cents|money }} pour {{ store_name }} était à payer le {{ due_date }} et reste impayée. Merci de la régler avant le {{ read_only_date }} : ensuite votre équipe pourra consulter la boutique mais plus la modifier.",
        "read_only": "la facture {{ invoice_number }} de {{ total_cents|money }} reste impayée : {{ store_name }} est donc en lecture seule pour l’équipe. Le paiement de la facture lève aussitôt cette restriction.",
        "restored": "plus rien n’est en retard pour {{ store_name }} : votre équipe peut travailler comme avant. Merci.",
        "payment_received": "nous avons reçu {{ total_cents|money }} pour la facture {{ invoice_number }} de {{ store_name }}. Merci.",
        "button": "Ouvrir Formule et facturation",
    },
    "lb": {
        "invoice_issued_subject": "Rechnung {{ invoice_number }} fir {{ store_name }}",
        "payment_overdue_subject": "D'Rechnung {{ invoice_number }} fir {{ store_name }} ass iwwerfälleg",
        "read_only_subject": "{{ store_name }} ass elo nëmme liesbar",
        "restored_subject": "{{ store_name }} ass erëm fräigeschalt",
        "payment_received_subject": "Bezuelung kritt: Rechnung {{ invoice_number }}",
        "hello": "Moien,",
        "invoice_issued": "d'Plattform huet fir {{ store_name }} d'Rechnung {{ invoice_number }} iwwer {{ total_cents|money }} gestallt, fälleg den {{ due_date }}.",
        "payment_overdue": "d'Rechnung {{ invoice_number }} iwwer {{ total_cents|money }} fir {{ store_name }} war den {{ due_date }} fälleg an ass nach op. Bezuelt se w.e.g. bis den {{ read_only_date }}: duerno kann Äert Team de Buttek nach kucken, awer net méi änneren.",
        "read_only": "d'Rechnung {{ invoice_number }} iwwer {{ total_cents|money }} ass nach ëmmer op, dofir ass {{ store_name }} fir d'Team elo nëmme liesbar. D'Bezuelung hieft dat direkt op.",
        "restored": "fir {{ store_name }} ass näischt méi iwwerfälleg: Äert Team ka schaffe wéi virdrun. Merci.",
        "payment_received": "mir hunn {{ total_cents|money }} fir d'Rechnung {{ invoice_number }} vu(n) {{ store_name }} kritt. Merci.",
        "button": "Tarif & Ofrechnung opmaachen",
    },
}


def _subscription_bodies(step: str) -> dict[str, dict[str, str]]:
    """The e-mail of one subscription step in every language."""
    return {
        lang: {
            "subject": w[f"{step}_subject"],
            "body_html": f"<p>{w['hello']}</p>\n<p>{w[step]}</p>\n<p><a href=\"{{{{ billing_url }}}}\">{w['button']}</a></p>\n",
            "body_text": f"{w['hello']}\n\n{w[step]}\n\n{w['button']}: {{{{ billing_url }}}}\n",
        }
        for lang, w in _SUBSCRIPTION_WORDS.items()
    }


_SUBSCRIPTION_SAMPLE = {
    "store_name": "Boulangerie Dupont",
    "billing_url": "https://example.lu/store/bakery/billing",
    "invoice_number": "LUX-000042",
    "total_cents": 11583,
    "due_date": "21/12/2026",
    "read_only_date": "04/01/2027",
}
_SUBSCRIPTION_NEEDS = {
    "invoice_issued": ("invoice_number", "total_cents", "due_date"),
    "payment_overdue": ("invoice_number", "total_cents", "due_date", "read_only_date"),
    "read_only": ("invoice_number", "total_cents"),
    "restored": (),
    "payment_received": ("invoice_number", "total_cents"),
}


def _subscription_specs() -> dict[str, TemplateSpec]:
    """``subscription_<step>``: one e-mail per step of a store's subscription (billing)."""
    specs = {}
    for step, needs in _SUBSCRIPTION_NEEDS.items():
        required = ("store_name", "billing_url", *needs)
        specs[f"subscription_{step}"] = TemplateSpec(
            code=f"subscription_{step}",
            required=required,
            optional=(),
            essential=("billing_url",),
            sample={name: _SUBSCRIPTION_SAMPLE[name] for name in required},
            bodies=_subscription_bodies(step),
        )
    return specs


def _bodies(words: dict[str, dict[str, str]], html: str, text: str) -> dict[str, dict[str, str]]:
    return {
        lang: {
            "subject": w["subject"],
            "body_html": html.format(**w),
            "body_text": text.format(**w),
        }
        for lang, w in words.items()
    }


BUILTIN_TEMPLATES: dict[str, TemplateSpec] = {
    "order_confirmation": TemplateSpec(
        code="order_confirmation",
        required=("customer_name", "store_name", "order_number", "items", "total_cents"),
        optional=("subtotal_cents", "shipping_cents", "order_url"),
        essential=("order_number",),
        sample={
            "customer_name": "Marie Schmit",
            "store_name": "Boulangerie Dupont",
            "order_number": "2026-0042",
            "items": [
                {"name": "Baguette", "quantity": 2, "line_total_cents": 240},
                {"name": "Croissant", "quantity": 4, "line_total_cents": 560},
            ],
            "subtotal_cents": 800,
            "shipping_cents": 490,
            "total_cents": 1290,
            "order_url": "https://example.lu/platforms/main/storefront/bakery/orders/2026-0042/status?token=abc123",
        },
        bodies=_bodies(_ORDER_WORDS, _ORDER_HTML, _ORDER_TEXT),
    ),
    "password_reset": TemplateSpec(
        code="password_reset",
        required=("customer_name", "store_name", "reset_url"),
        optional=("expires_hours",),
        essential=("reset_url",),
        sample={
            "customer_name": "Marie Schmit",
            "store_name": "Boulangerie Dupont",
            "reset_url": "https://example.lu/reset/abc123",
            "expires_hours": 2,
        },
        bodies=_bodies(_RESET_WORDS, _RESET_HTML, _RESET_TEXT),
    ),
    "staff_password_reset": TemplateSpec(
        code="staff_password_reset",
        required=("user_name", "place_name", "reset_url"),
        optional=("expires_hours",),
        essential=("reset_url",),
        sample={
            "user_name": "Léa Muller",
            "place_name": "Boulangerie Dupont",
            "reset_url": "https://example.lu/store/bakery/reset?token=abc123",
            "expires_hours": 1,
        },
        bodies=_bodies(_STAFF_RESET_WORDS, _STAFF_RESET_HTML, _STAFF_RESET_TEXT),
    ),
    "staff_invitation": TemplateSpec(
        code="staff_invitation",
        required=("inviter_name", "store_name", "accept_url"),
        optional=("invitee_name", "expires_hours"),
        essential=("accept_url",),
        sample={
            "invitee_name": "Léa Muller",
            "inviter_name": "Marc Dupont",
            "store_name": "Boulangerie Dupont",
            "accept_url": "https://example.lu/store/bakery/join?token=abc123",
            "expires_hours": 72,
        },
        bodies=_bodies(_INVITE_WORDS, _INVITE_HTML, _INVITE_TEXT),
    ),
    "email_confirmation": TemplateSpec(
        code="email_confirmation",
        required=("customer_name", "store_name", "confirm_url", "purpose"),
        optional=("expires_hours",),
        essential=("confirm_url",),
        sample={
            "customer_name": "Marie Schmit",
            "store_name": "Boulangerie Dupont",
            "confirm_url": "https://example.lu/platforms/main/storefront/bakery/account/confirm?token=abc123",
            "purpose": "orders",
            "expires_hours": 48,
        },
        bodies=_bodies(_CONFIRM_WORDS, _CONFIRM_HTML, _CONFIRM_TEXT),
    ),
    "payment_reminder": TemplateSpec(
        code="payment_reminder",
        required=("customer_name", "store_name", "order_number", "total_cents", "cancel_at", "order_url"),
        optional=(),
        essential=("order_url",),
        sample={
            "customer_name": "Marie Schmit",
            "store_name": "Boulangerie Dupont",
            "order_number": "BD-000042",
            "total_cents": 1290,
            "cancel_at": "09/12/2026 10:30",
            "order_url": "https://example.lu/platforms/main/storefront/bakery/checkout/done/BD-000042?token=abc123",
        },
        bodies=_bodies(_REMINDER_WORDS, _REMINDER_HTML, _REMINDER_TEXT),
    ),
    "welcome": TemplateSpec(
        code="welcome",
        required=("customer_name", "store_name"),
        optional=("login_url",),
        essential=(),
        sample={
            "customer_name": "Marie Schmit",
            "store_name": "Boulangerie Dupont",
            "login_url": "https://example.lu/account/login",
        },
        bodies=_bodies(_WELCOME_WORDS, _WELCOME_HTML, _WELCOME_TEXT),
    ),
    "payment_received": TemplateSpec(
        code="payment_received",
        required=("customer_name", "store_name", "order_number", "total_cents"),
        optional=("order_url",),
        essential=("order_number",),
        sample={
            "customer_name": "Marie Schmit",
            "store_name": "Boulangerie Dupont",
            "order_number": "2026-0042",
            "total_cents": 1290,
            "order_url": "https://example.lu/platforms/main/storefront/bakery/orders/2026-0042/status?token=abc123",
        },
        bodies=_bodies(_PAID_WORDS, _PAID_HTML, _PAID_TEXT),
    ),
    "message_reply": TemplateSpec(
        code="message_reply",
        required=("customer_name", "store_name", "conversation_subject", "reply_text"),
        optional=("conversation_url",),
        essential=("reply_text",),
        sample={
            "customer_name": "Marie Schmit",
            "store_name": "Boulangerie Dupont",
            "conversation_subject": "Gluten-free bread?",
            "reply_text": "Yes, we bake gluten-free bread every Friday.\nSee you soon!",
            "conversation_url": "https://example.lu/account/messages/7",
        },
        bodies=_bodies(_REPLY_WORDS, _REPLY_HTML, _REPLY_TEXT),
    ),
    **_subscription_specs(),
}
"""Every kind of email the platform sends, by code."""
