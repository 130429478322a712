#pragma once

#include "history/HistoryEntry.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTableWidget;
class QTabWidget;
class ResponseView;

// One history entry, read-only: the request as it was sent — method, URL, every header with
// where it came from (this request, injected by the environment, overridden once, switched
// off) and the body — and the response as ResponseView shows any response.
class HistoryEntryView : public QWidget
{
    Q_OBJECT

public:
    explicit HistoryEntryView(QWidget *parent = nullptr);

    void setEntry(const HistoryEntry &entry);
    void clear();
    qint64 entryId() const { return m_entryId; }
    ResponseView *responseView() const { return m_response; }

private:
    void showRequest(const HistoryEntry &entry);

    qint64 m_entryId = 0;
    QTabWidget *m_tabs;
    QLabel *m_requestLine;
    QTableWidget *m_headers;
    QPlainTextEdit *m_body;
    QLabel *m_notes;
    ResponseView *m_response;
};
