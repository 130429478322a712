#pragma once

#include "http/BodySink.h"
#include "http/HttpHeaders.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

// One hop's answer as curl hands it over: raw header lines (status lines of 1xx answers too,
// obs-fold continuations, chunked trailers) and decoded body bytes, within the limits of
// ResponseLimit. Each feed says whether the transfer may go on; once a limit is passed it says
// stop, and what came so far stays readable.
class ResponseReader
{
public:
    enum class Overflow { None, Headers, Body };

    // Starts over for a new hop; bodyLimit counts decoded bytes.
    void reset(qint64 bodyLimit, bool headRequest);
    bool headerLine(QByteArrayView line);
    bool data(QByteArrayView bytes);

    int status() const { return m_status; }
    const QByteArray &version() const { return m_version; }
    const QByteArray &reason() const { return m_reason; }
    const QList<HttpHeaders::Field> &fields() const { return m_fields; }
    bool headersDone() const { return m_headersDone; }
    Overflow overflow() const { return m_overflow; }
    qint64 bodySize() const { return m_body.size(); }
    qint64 bodyLimit() const { return m_body.limit(); }
    QByteArray takeBody() { return m_body.take(); }

private:
    int m_status = 0;
    QByteArray m_version;
    QByteArray m_reason;
    QList<HttpHeaders::Field> m_fields;
    BodySink m_body;
    qint64 m_headerBytes = 0;
    bool m_headRequest = false;
    bool m_headersDone = false;
    Overflow m_overflow = Overflow::None;
};
