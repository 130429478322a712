#include "IntrospectionPanel.h"

#include "PlainToolTips.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

IntrospectionPanel::IntrospectionPanel(QWidget *parent)
    : QWidget(parent)
    , m_button(new QPushButton(tr("&Introspect"), this))
    , m_status(new QLabel(this))
    , m_fields(new QTableWidget(0, 2, this))
{
    setObjectName(u"introspectionPanel"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    auto *row = new QHBoxLayout;
    m_button->setObjectName(u"introspectButton"_s);
    m_button->setToolTip(tr("Ask the authorization server what this opaque token is (RFC 7662)"));
    m_status->setObjectName(u"introspectionStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText); // server text
    row->addWidget(m_button);
    row->addWidget(m_status, 1);
    layout->addLayout(row);
    m_fields->setObjectName(u"introspectionFields"_s);
    m_fields->setAccessibleName(tr("What the server says about the token"));
    PlainToolTips::install(m_fields);
    m_fields->setHorizontalHeaderLabels({tr("Field"), tr("Value")});
    m_fields->verticalHeader()->hide();
    m_fields->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_fields->horizontalHeader()->setStretchLastSection(true);
    m_fields->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_fields->setWordWrap(false);
    m_fields->hide();
    layout->addWidget(m_fields);
    connect(m_button, &QPushButton::clicked, this, [this] {
        m_button->setEnabled(false);
        m_status->setText(tr("Asking the server…"));
        m_fields->hide();
        Q_EMIT introspectRequested();
    });
    hide();
}

void IntrospectionPanel::setToken(const AccessToken &token)
{
    setVisible(token.jwt().kind() == JwtView::Kind::Opaque);
    m_button->setEnabled(true);
    m_status->clear();
    m_fields->setRowCount(0);
    m_fields->hide();
}

void IntrospectionPanel::showResult(const IntrospectionResult &result)
{
    m_button->setEnabled(true);
    if (!result.ok()) {
        m_status->setText(tr("Not introspected: %1").arg(result.error.summary()));
        return;
    }
    QString expiry;
    if (const auto exp = result.expiresAt())
        expiry = tr(", expires %1").arg(exp->toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s));
    m_status->setText(result.active ? tr("Active%1").arg(expiry) : tr("Not active: expired, revoked or unknown to the server"));
    m_fields->setRowCount(0);
    for (auto it = result.fields.constBegin(); it != result.fields.constEnd(); ++it) {
        const QJsonValue value = it.value();
        const QString text = value.isString() ? value.toString()
            : value.isBool() ? (value.toBool() ? u"true"_s : u"false"_s)
            : value.isDouble() ? QString::number(value.toDouble(), 'g', 16)
            : QString::fromUtf8(QJsonDocument::fromVariant(value.toVariant()).toJson(QJsonDocument::Compact));
        const int row = m_fields->rowCount();
        m_fields->insertRow(row);
        m_fields->setItem(row, 0, new QTableWidgetItem(it.key()));
        m_fields->setItem(row, 1, new QTableWidgetItem(text));
    }
    m_fields->setVisible(m_fields->rowCount() > 0);
}
