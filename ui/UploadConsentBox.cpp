#include "UploadConsentBox.h"

#include <QLabel>
#include <QPushButton>

UploadConsentBox::UploadConsentBox(const FileUploadConsent &consent, QWidget *parent)
    : QMessageBox(QMessageBox::Warning, tr("Send local files to %1?").arg(consent.destination()), QString(), QMessageBox::NoButton, parent)
{
    setObjectName(QStringLiteral("uploadConsent"));
    setTextFormat(Qt::PlainText);
    setText(consent.files().size() == 1
                ? tr("This request would read a file on this computer and send it to %1, which is not the environment's API.")
                      .arg(consent.destination())
                : tr("This request would read %1 files on this computer and send them to %2, which is not the environment's API.")
                      .arg(consent.files().size())
                      .arg(consent.destination()));
    setInformativeText(tr("Files:\n%1\n\nA saved request, a pasted curl command or a replay can name any file. Send only what you "
                          "meant to share with %2.")
                           .arg(QStringLiteral("• ") + consent.files().join(QStringLiteral("\n• ")), consent.destination()));
    // QMessageBox leaves its informative text to guess between plain and rich text.
    if (auto *informative = findChild<QLabel *>(QStringLiteral("qt_msgbox_informativelabel")))
        informative->setTextFormat(Qt::PlainText);
    m_send = addButton(consent.files().size() == 1 ? tr("Send File") : tr("Send Files"), QMessageBox::DestructiveRole);
    m_send->setObjectName(QStringLiteral("sendFiles"));
    QPushButton *refuse = addButton(tr("Don't Send"), QMessageBox::RejectRole);
    refuse->setObjectName(QStringLiteral("dontSend"));
    setDefaultButton(refuse);
    setEscapeButton(refuse);
}

bool UploadConsentBox::sendChosen() const
{
    return clickedButton() == m_send;
}
