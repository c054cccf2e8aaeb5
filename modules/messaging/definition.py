"""Definition of the Messaging module."""

from modules.contracts.backlogs import BacklogReporter
from modules.contracts.events import (
    CustomerEmailConfirmationRequested,
    OrderPaid,
    OrderPlaced,
    PasswordResetRequested,
    StaffInvited,
    StaffNotice,
    StaffPasswordResetRequested,
    SubscriptionNotice,
    UnpaidOrderReminder,
)
from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType

messaging_module = ModuleDefinition(
    code="messaging",
    name="Messaging",
    description="Messages, notifications and email templates.",
    version="1.0.0",
    is_core=True,
    is_internal=False,
    requires=["customers"],
    features=["email_templates", "notifications", "conversations"],
    permissions=[
        PermissionDefinition(
            id="messaging.view",
            label_key="messaging.permissions.view",
            description_key="messaging.permissions.view_desc",
            category="messaging",
        ),
        PermissionDefinition(
            id="messaging.send",
            label_key="messaging.permissions.send",
            description_key="messaging.permissions.send_desc",
            category="messaging",
        ),
        PermissionDefinition(
            id="messaging.templates.manage",
            label_key="messaging.permissions.templates_manage",
            description_key="messaging.permissions.templates_manage_desc",
            category="messaging",
        ),
    ],
    menu_items={
        FrontendType.STOREFRONT: [
            MenuItem(id="messaging-account", label_key="messaging.account.title", path="account/messages",
                     icon="message-circle", order=20),
        ],
        FrontendType.STORE: [
            MenuItem(
                id="messaging-conversations",
                label_key="messaging.menu.conversations",
                path="/store/{store_code}/messages",
                permission="messaging.view",
                icon="message-circle",
                order=14,
            ),
            MenuItem(
                id="messaging-notifications",
                label_key="messaging.menu.notifications",
                path="/store/{store_code}/notifications",
                permission="messaging.view",
                icon="bell",
                order=15,
            ),
            MenuItem(
                id="messaging-templates",
                label_key="messaging.menu.templates",
                path="/store/{store_code}/messages/templates",
                permission="messaging.templates.manage",
                icon="mail",
                order=80,
            ),
        ],
        FrontendType.ADMIN: [
            MenuItem(
                id="messaging-smtp",
                label_key="messaging.menu.smtp",
                path="/admin/messaging/smtp",
                icon="mail",
                order=80,
            ),
            MenuItem(
                id="messaging-admin-templates",
                label_key="messaging.menu.admin_templates",
                path="/admin/messaging/templates",
                icon="mail",
                order=81,
            ),
        ],
    },
    listeners={
        OrderPlaced: ".listeners:send_order_confirmation",
        OrderPaid: ".listeners:send_payment_received",
        PasswordResetRequested: ".listeners:send_password_reset",
        StaffPasswordResetRequested: ".listeners:send_staff_password_reset",
        StaffInvited: ".listeners:send_staff_invitation",
        CustomerEmailConfirmationRequested: ".listeners:send_email_confirmation",
        UnpaidOrderReminder: ".listeners:send_payment_reminder",
        StaffNotice: ".listeners:deliver_staff_notice",
        SubscriptionNotice: ".listeners:send_subscription_notice",
    },
    provides={BacklogReporter: ".providers:EmailBacklog"},
    widget_provider=".dashboard:MessagingWidgets",
    metrics_provider=".dashboard:MessagingMetrics",
)
