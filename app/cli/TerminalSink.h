#pragma once

#include "util/TerminalText.h"

#include <QIODevice>
#include <QStringDecoder>

#include <cstdio>

// Standard output or error as a write-only device for a QTextStream: what the CLI prints goes
// through TerminalText, so no text from a server or a shared workspace can drive the terminal
// (retitle it, recolour it, clear it, forge a line). The stream's UTF-8 arrives in pieces that
// may split a character or an escape sequence; both are carried over to the next write.
class TerminalSink : public QIODevice
{
public:
    explicit TerminalSink(std::FILE *file);
    ~TerminalSink() override;

    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    std::FILE *m_file;
    QStringDecoder m_decoder{QStringDecoder::Utf8};
    TerminalText m_filter;
};
