#include "PreferencesDialog.h"

#include "http/ResponseLimit.h"
#include "settings/Preferences.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace {
constexpr qint64 megabyte = qint64(1024) * 1024;
}

PreferencesDialog::PreferencesDialog(QWidget *parent)
    : QDialog(parent)
    , m_maxResponse(new QSpinBox(this))
{
    setWindowTitle(tr("Preferences"));
    setObjectName(QStringLiteral("preferencesDialog"));
    m_maxResponse->setObjectName(QStringLiteral("maxResponseSize"));
    m_maxResponse->setRange(1, int(ResponseLimit::maxBodyBytes / megabyte));
    m_maxResponse->setSuffix(tr(" MB"));
    m_maxResponse->setAccessibleName(tr("Maximum response size in megabytes"));
    // A limit set finer than a megabyte elsewhere shows rounded up, never as less than it is.
    m_maxResponse->setValue(int((Preferences::maxResponseBytes() + megabyte - 1) / megabyte));

    auto *explanation = new QLabel(tr("A response whose body, once decompressed, is larger than this is cut there and its transfer "
                                      "stopped, so an endless or compressed-bomb answer cannot exhaust memory. "
                                      "Applies to the next request sent. Default: %1.")
                                       .arg(ResponseLimit::format(ResponseLimit::defaultBodyBytes)),
                                   this);
    explanation->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&Maximum response size:"), m_maxResponse);
    form->addRow(explanation);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, &PreferencesDialog::restoreDefaults);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

void PreferencesDialog::accept()
{
    Preferences::setMaxResponseBytes(m_maxResponse->value() * megabyte);
    QDialog::accept();
}

void PreferencesDialog::restoreDefaults()
{
    m_maxResponse->setValue(int(ResponseLimit::defaultBodyBytes / megabyte));
}
