#pragma once

#include "http/FileUploadConsent.h"

#include <QMessageBox>

class QPushButton;

// Asks before a request reads local files and sends them to an origin other than the
// environment's API (FileUploadConsent): names each file and the destination, and answers
// "Don't Send" unless the user picks "Send Files" — Return and Escape both refuse. The paths
// and the origin come from the request, perhaps someone else's: shown as plain text.
class UploadConsentBox : public QMessageBox
{
    Q_OBJECT

public:
    UploadConsentBox(const FileUploadConsent &consent, QWidget *parent = nullptr);

    // Whether the user chose to send the files (after finished()).
    bool sendChosen() const;

private:
    QPushButton *m_send;
};
